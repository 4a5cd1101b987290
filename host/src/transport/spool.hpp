#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace gantry::host {

/// Bytes written once and then read back: a project tar on its way to or from a runner.
/// Held in memory up to `memory_limit`, which most projects stay under, so that a remote
/// step costs no temporary file on either side; past it, in an unnamed temporary file
/// (O_TMPFILE in `directory`, by default TMPDIR; gone with the spool), so that a large
/// project is never held in memory. Throws gantry::Error when the file cannot be made or
/// written. One reader at a time: extracting from it moves the file's offset.
class Spool {
 public:
  static constexpr std::size_t kDefaultMemoryLimit = std::size_t{8} << 20;

  explicit Spool(std::filesystem::path directory = {},
                 std::size_t memory_limit = kDefaultMemoryLimit);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  void write(std::string_view bytes);
  [[nodiscard]] std::uint64_t size() const { return size_; }

  /// Calls `chunk` with the bytes in order, at most `chunk_bytes` at a time, until it
  /// returns false or the bytes end.
  void read(std::size_t chunk_bytes, const std::function<bool(std::string_view)>& chunk) const;

  /// The bytes, while they are in memory; nullptr once they went to the file.
  [[nodiscard]] const std::string* memory() const { return fd_ < 0 ? &memory_ : nullptr; }
  /// The file holding the bytes once they went there; -1 before.
  [[nodiscard]] int file() const { return fd_; }

 private:
  void spill();

  std::filesystem::path directory_;
  std::size_t memory_limit_;
  std::string memory_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace gantry::host
