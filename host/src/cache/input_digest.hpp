// The content digest of a step's input path, for the step cache: a file's bytes, or a
// directory's entries (relative path, kind, mode, size and content, link targets) in
// sorted order, without what sdk::left_out_of_sources leaves out (build state, packed
// artifacts).
#pragma once

#include <filesystem>
#include <string>

namespace gantry::host {

/// "sha256:..." of `path`'s content; "absent" when it does not exist.
[[nodiscard]] std::string input_digest(const std::filesystem::path& path);

/// sha256 hex of a file's bytes.
[[nodiscard]] std::string file_sha256(const std::filesystem::path& file);

}  // namespace gantry::host
