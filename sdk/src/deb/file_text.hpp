#pragma once

#include <filesystem>
#include <string>

namespace gantry::deb {

/// The whole content of `path`. Throws DebError naming it (and `what` it is, e.g. "the
/// apt sources file") when it cannot be read.
[[nodiscard]] std::string file_text(const std::filesystem::path& path,
                                    const std::string& what = "the file");

}  // namespace gantry::deb
