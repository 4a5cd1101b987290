#pragma once

#include <filesystem>

namespace gantry::sdk {

/// Copies the regular file `source` to `target`, which must not exist, with the source's
/// permission bits: shared blocks where the file system can (FICLONE), an in-kernel copy
/// otherwise (copy_file_range), read and write where neither works. Unlike
/// std::filesystem::copy_file, a failure says its real cause (libstdc++ reports a full
/// disk as an input/output error). Throws gantry::Error with what to do; a partial
/// target is removed.
void copy_to_new_file(const std::filesystem::path& source, const std::filesystem::path& target);

}  // namespace gantry::sdk
