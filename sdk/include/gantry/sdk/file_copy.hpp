#pragma once

#include <cstdint>
#include <filesystem>

namespace gantry::sdk {

/// What copy_descriptor_bytes did: how many bytes it copied, and the errno of what failed
/// (0 when nothing did; then fewer bytes than asked means the source ended first).
struct CopyResult {
  std::uint64_t copied = 0;
  int error = 0;
};

/// Copies `size` bytes from the descriptor `in` to `out`, each from its own offset: an
/// in-kernel copy (copy_file_range), read and write where that does not work (another
/// file system, no support, or some kernels and FUSE, which copy nothing and say no error).
[[nodiscard]] CopyResult copy_descriptor_bytes(int in, int out, std::uint64_t size);

/// Copies the regular file `source` to `target`, which must not exist, with the source's
/// permission bits: shared blocks where the file system can (FICLONE), else as
/// copy_descriptor_bytes does. Unlike std::filesystem::copy_file, a failure says its real
/// cause (libstdc++ reports a full disk as an input/output error). Throws gantry::Error
/// with what to do; a partial target is removed.
void copy_to_new_file(const std::filesystem::path& source, const std::filesystem::path& target);

}  // namespace gantry::sdk
