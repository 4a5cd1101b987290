#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace gantry::archive {

/// A file written under a temporary name beside its target and renamed into place by
/// commit(), so that a crash or Ctrl-C never leaves a half-written file at the target.
/// Without commit() the temporary file is removed. Move-only.
class AtomicFile {
 public:
  /// Whether commit() waits for the bytes to reach the disk: artifacts do; cache entries
  /// (checked when read, fetched again when bad) and files of a tree that is not synced
  /// as a whole need not.
  enum class Durability { kSynced, kUnsynced };

  /// Creates the temporary file (mode 0644). Throws gantry::Error naming the target.
  explicit AtomicFile(std::filesystem::path target, Durability durability = Durability::kSynced);
  ~AtomicFile();
  AtomicFile(AtomicFile&& other) noexcept;
  AtomicFile& operator=(AtomicFile&&) = delete;
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  /// Appends bytes. Throws gantry::Error (disk full, …) naming the target.
  void write(std::string_view bytes);
  /// Appends the first `size` bytes of the file at `source`, copied by the kernel
  /// (copy_file_range) where it can. Throws gantry::Error when `source` cannot be read or
  /// holds fewer bytes, or as write() does.
  void append_file(const std::filesystem::path& source, std::uint64_t size);
  /// Sets the permission bits the file will have (0644 unless set).
  void set_permissions(std::uint32_t mode);
  /// Flushes to disk and renames over the target.
  void commit();

  [[nodiscard]] const std::filesystem::path& target() const { return target_; }
  [[nodiscard]] std::uint64_t size() const { return written_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path temporary_;
  int fd_ = -1;
  std::uint64_t written_ = 0;
  Durability durability_ = Durability::kSynced;
};

/// Writes `bytes` to `target` atomically.
void write_file_atomically(const std::filesystem::path& target, std::string_view bytes,
                           AtomicFile::Durability durability = AtomicFile::Durability::kSynced);

}  // namespace gantry::archive
