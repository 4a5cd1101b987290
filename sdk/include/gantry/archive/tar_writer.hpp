#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "gantry/archive/atomic_file.hpp"

namespace gantry::archive {

/// Writes a reproducible ustar archive: the entries in the order given (callers sort),
/// owner 0:0 ("root"), and one fixed modification time, so that the same content
/// always gives the same bytes.
class TarWriter {
 public:
  /// Writes into `file` (not owned). `mtime` is seconds since the epoch.
  TarWriter(AtomicFile& file, std::int64_t mtime);

  void add_directory(const std::string& name, std::uint32_t mode = 0755);
  /// A regular file of `size` bytes, produced by `fill`, which calls its argument with
  /// the bytes in order. Throws gantry::Error if `fill` produces another size.
  void add_file(const std::string& name, std::uint64_t size,
                const std::function<void(const std::function<void(std::string_view)>&)>& fill,
                std::uint32_t mode = 0644);
  /// A regular file with the content of `path` on disk.
  void add_file_from_disk(const std::string& name, const std::filesystem::path& path,
                          std::uint32_t mode = 0644);
  /// Writes the two zero blocks that end an archive.
  void finish();

 private:
  void header(const std::string& name, char type, std::uint64_t size, std::uint32_t mode);
  AtomicFile& file_;
  std::int64_t mtime_;
};

/// The modification time for reproducible artifacts: $SOURCE_DATE_EPOCH, else 0.
[[nodiscard]] std::int64_t reproducible_mtime();

}  // namespace gantry::archive
