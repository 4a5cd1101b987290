#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gantry/archive/atomic_file.hpp"

namespace gantry::archive {

/// Writes a reproducible zip archive as Juju and Python's zipfile read it: regular files
/// only (no directory entries, as charmcraft writes them), sorted by name, deflated,
/// "version made by" Unix (3) with `S_IFREG | mode` in the high 16 bits of the external
/// attributes (Go's archive/zip, and so Juju, reads modes only from Unix-made entries),
/// and one modification time for every entry. The archive is written under a temporary
/// name beside `target` and renamed into place by commit(); without commit() nothing
/// appears at `target`.
///
/// Not thread-safe. Throws gantry::Error for unreadable inputs, a full disk, or an
/// archive past the classic zip limits (65535 entries, 4 GiB), which it does not extend.
class ZipWriter {
 public:
  /// Every entry gets `mtime` (seconds since the epoch, UTC; before 1980 counts as 1980,
  /// the first time a zip can hold).
  ZipWriter(std::filesystem::path target, std::int64_t mtime);

  /// A file with `bytes` as content; `mode` is the permission bits (0644, 0755).
  void add_bytes(std::string name, std::string bytes, std::uint32_t mode = 0644);
  /// A file with the content of `path` (read at commit()); a symlink is followed.
  void add_file(std::string name, std::filesystem::path path, std::uint32_t mode = 0644);

  /// Whether an entry of that name was added.
  [[nodiscard]] bool contains(std::string_view name) const;

  /// Writes the entries sorted by name, then renames the archive into place. Throws
  /// gantry::Error for two entries of one name.
  void commit();

 private:
  struct Pending {
    std::string name;
    std::variant<std::string, std::filesystem::path> content;
    std::uint32_t mode = 0644;
  };
  std::filesystem::path target_;
  std::int64_t mtime_ = 0;
  std::vector<Pending> entries_;
};

/// The DOS date and time (as zip headers hold them) of `seconds` since the epoch, UTC,
/// at 2-second resolution; 1980-01-01 00:00 for anything earlier.
struct DosTime {
  std::uint16_t time = 0;
  std::uint16_t date = 0;
};
[[nodiscard]] DosTime dos_time(std::int64_t seconds);

}  // namespace gantry::archive
