#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "gantry/archive/atomic_file.hpp"

namespace gantry::archive {

/// One archive entry's header: what TarWriter::add writes.
struct TarEntry {
  enum class Type { kFile, kDirectory, kSymlink, kHardLink };
  std::string name{};  ///< relative, '/'-separated; a directory's gets a trailing '/'
  Type type = Type::kFile;
  std::uint32_t mode = 0644;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::int64_t mtime = 0;
  std::uint64_t size = 0;  ///< regular files only
  std::string link{};      ///< a symlink's target, or the entry a hard link names
};

/// Writes a reproducible tar archive: the entries in the order given (callers sort), with
/// the owners and times they are given (numeric, no user names), ustar headers and, for
/// a name or link target too long for them, a PAX extended header before the entry, so
/// that the same content always gives the same bytes.
class TarWriter {
 public:
  using Sink = std::function<void(std::string_view)>;

  /// Writes into `file` (not owned); every entry added through the short forms below gets
  /// owner 0:0 and `mtime` (seconds since the epoch).
  TarWriter(AtomicFile& file, std::int64_t mtime);
  /// Writes the archive's bytes to `sink`, in order.
  TarWriter(Sink sink, std::int64_t mtime);

  void add_directory(const std::string& name, std::uint32_t mode = 0755);
  /// A regular file of `size` bytes, produced by `fill`, which calls its argument with
  /// the bytes in order. Throws gantry::Error if `fill` produces another size.
  void add_file(const std::string& name, std::uint64_t size,
                const std::function<void(const std::function<void(std::string_view)>&)>& fill,
                std::uint32_t mode = 0644);
  /// A regular file with the content of `path` on disk (copied by the kernel when the
  /// archive is an AtomicFile).
  void add_file_from_disk(const std::string& name, const std::filesystem::path& path,
                          std::uint32_t mode = 0644);
  /// Any entry; `fill` gives a regular file's bytes as add_file's does.
  void add(const TarEntry& entry,
           const std::function<void(const std::function<void(std::string_view)>&)>& fill = {});
  /// Writes the two zero blocks that end an archive.
  void finish();

 private:
  void header(const TarEntry& entry);
  void pax_header(const TarEntry& entry, const std::string& records);
  Sink sink_;
  AtomicFile* file_ = nullptr;  ///< the file sink_ writes to, when it is one
  std::int64_t mtime_;
};

/// The modification time for reproducible artifacts: $SOURCE_DATE_EPOCH, else 0.
[[nodiscard]] std::int64_t reproducible_mtime();

}  // namespace gantry::archive
