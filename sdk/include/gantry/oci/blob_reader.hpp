#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>

#include "gantry/net/body_reader.hpp"
#include "gantry/oci/digest.hpp"
#include "gantry/oci/manifest.hpp"

namespace gantry::oci {

/// Reads one blob from its start, in order. Not thread-safe; open one per thread.
class BlobReader : public net::BodyReader {
 public:
  ~BlobReader() override;
};

/// An open file shared by several readers (pread is safe from several threads).
class SharedFile {
 public:
  /// Opens `path` for reading. Throws OciError naming it.
  explicit SharedFile(const std::filesystem::path& path);
  ~SharedFile();
  SharedFile(const SharedFile&) = delete;
  SharedFile& operator=(const SharedFile&) = delete;

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::uint64_t size() const { return size_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

/// Reads `size` bytes of a file from `offset`: a blob file, or a member inside a tar.
/// The reader shares ownership of the file (shared_ptr: readers on several threads).
class FileSliceReader final : public BlobReader {
 public:
  FileSliceReader(std::shared_ptr<const SharedFile> file, std::uint64_t offset, std::uint64_t size);
  std::size_t read(std::span<char> buffer) override;

 private:
  std::shared_ptr<const SharedFile> file_;
  std::uint64_t offset_;
  std::uint64_t remaining_;
};

/// Wraps a reader and checks, at its end, that what was read has the descriptor's size
/// and digest; throws OciError naming `what` otherwise. Reports bytes read to `progress`
/// and throws gantry::Cancelled once `cancelled` is true.
class VerifyingReader final : public BlobReader {
 public:
  VerifyingReader(std::unique_ptr<BlobReader> inner, Descriptor expected, std::string what,
                  std::function<void(std::uint64_t)> progress = {},
                  std::function<bool()> cancelled = {});
  std::size_t read(std::span<char> buffer) override;

 private:
  std::unique_ptr<BlobReader> inner_;
  Descriptor expected_;
  std::string what_;
  std::function<void(std::uint64_t)> progress_;
  std::function<bool()> cancelled_;
  Sha256 hash_;
  std::uint64_t seen_ = 0;
  bool finished_ = false;
};

/// Writes everything `reader` gives to `target`, atomically (temporary name, renamed).
void save_blob(BlobReader& reader, const std::filesystem::path& target);

/// Reads a whole blob into memory (for manifests and configs; refuses more than `limit`).
[[nodiscard]] std::string read_all(BlobReader& reader, std::size_t limit = 16 * 1024 * 1024);

}  // namespace gantry::oci
