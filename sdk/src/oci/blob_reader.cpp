#include "gantry/oci/blob_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {

BlobReader::~BlobReader() = default;

SharedFile::SharedFile(const std::filesystem::path& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw OciError("cannot open " + path.string() + ": " + std::strerror(errno),
                   "Check that the file exists and is readable.");
  }
  struct stat status {};
  if (::fstat(fd_, &status) != 0) {
    const int saved = errno;
    ::close(fd_);
    throw OciError("cannot read " + path.string() + ": " + std::strerror(saved));
  }
  size_ = static_cast<std::uint64_t>(status.st_size);
}

SharedFile::~SharedFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

FileSliceReader::FileSliceReader(std::shared_ptr<const SharedFile> file, std::uint64_t offset,
                                 std::uint64_t size)
    : file_(std::move(file)), offset_(offset), remaining_(size) {}

std::size_t FileSliceReader::read(std::span<char> buffer) {
  const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), remaining_));
  if (wanted == 0) {
    return 0;
  }
  while (true) {
    const auto got = ::pread(file_->fd(), buffer.data(), wanted, static_cast<off_t>(offset_));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      throw OciError("cannot read " + file_->path().string() + ": " + std::strerror(errno));
    }
    if (got == 0) {
      throw OciError(file_->path().string() + " ended early",
                     "The file is truncated: rebuild or re-pull the image.");
    }
    offset_ += static_cast<std::uint64_t>(got);
    remaining_ -= static_cast<std::uint64_t>(got);
    return static_cast<std::size_t>(got);
  }
}

VerifyingReader::VerifyingReader(std::unique_ptr<BlobReader> inner, Descriptor expected,
                                 std::string what, std::function<void(std::uint64_t)> progress,
                                 std::function<bool()> cancelled)
    : inner_(std::move(inner)),
      expected_(std::move(expected)),
      what_(std::move(what)),
      progress_(std::move(progress)),
      cancelled_(std::move(cancelled)) {}

std::size_t VerifyingReader::read(std::span<char> buffer) {
  if (cancelled_ && cancelled_()) {
    throw Cancelled();
  }
  const auto expected_size = static_cast<std::uint64_t>(expected_.size);
  const std::size_t got = inner_->read(buffer);
  if (got > 0) {
    hash_.update({buffer.data(), got});
    seen_ += got;
    if (seen_ > expected_size) {
      throw OciError(what_ + " is larger than its descriptor says (" +
                         std::to_string(expected_.size) + " bytes)",
                     "The image is damaged: rebuild or re-pull it.");
    }
    if (progress_) {
      progress_(seen_);
    }
  }
  // Checked as soon as the last byte is read, before it is handed on: a sender that
  // knows the size (an HTTP upload) never asks for the end.
  if (!finished_ && (seen_ == expected_size || got == 0)) {
    finished_ = true;
    if (seen_ != expected_size) {
      throw OciError(what_ + " has " + std::to_string(seen_) + " bytes, but its descriptor says " +
                         std::to_string(expected_.size),
                     "The image is damaged: rebuild or re-pull it.");
    }
    const Digest actual = hash_.finish();
    if (actual != expected_.digest) {
      throw OciError(what_ + " has digest " + actual.str() + ", but its descriptor says " +
                         expected_.digest.str(),
                     "The image is damaged: rebuild or re-pull it.");
    }
  }
  return got;
}

void save_blob(BlobReader& reader, const std::filesystem::path& target) {
  archive::AtomicFile file(target);
  std::array<char, 1 << 16> buffer{};
  while (const std::size_t got = reader.read(buffer)) {
    file.write({buffer.data(), got});
  }
  file.commit();
}

std::string read_all(BlobReader& reader, std::size_t limit) {
  std::string bytes;
  std::array<char, 65536> buffer{};
  while (const std::size_t got = reader.read(buffer)) {
    bytes.append(buffer.data(), got);
    if (bytes.size() > limit) {
      throw OciError("a manifest or config is larger than " + std::to_string(limit) + " bytes",
                     "This is not an image gantry can read.");
    }
  }
  return bytes;
}

}  // namespace gantry::oci
