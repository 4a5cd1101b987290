#include "transport/spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::host {
namespace {

/// The temporary directory, as a gantry::Error when there is none.
std::filesystem::path temporary_directory() {
  std::error_code error;
  auto dir = std::filesystem::temp_directory_path(error);
  if (error) {
    throw Error("there is no temporary directory: " + error.message(),
                "Point TMPDIR at a writable directory with room for the project.");
  }
  return dir;
}

/// An unnamed file in `dir`: O_TMPFILE, or a named one unlinked at once where the
/// filesystem has no O_TMPFILE.
int unnamed_temporary_file(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) {
    return fd;
  }
  std::string name = (dir / "gantry-spool-XXXXXX").string();
  const int named = ::mkostemp(name.data(), O_CLOEXEC);
  if (named < 0) {
    throw Error("cannot make a temporary file in " + dir.string() + ": " + std::strerror(errno),
                "Point TMPDIR at a writable directory with room for the project.");
  }
  ::unlink(name.c_str());
  return named;
}

/// Writes all of `bytes` at `offset`, whatever the file's offset is.
void write_all(int fd, std::string_view bytes, std::uint64_t offset) {
  while (!bytes.empty()) {
    const auto written = ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(std::string("cannot write the project's temporary file: ") + std::strerror(errno),
                  "Point TMPDIR at a writable directory with room for the project.");
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
    offset += static_cast<std::uint64_t>(written);
  }
}

}  // namespace

Spool::Spool(std::filesystem::path directory, std::size_t memory_limit)
    : directory_(std::move(directory)), memory_limit_(memory_limit) {}

Spool::~Spool() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
}

void Spool::write(std::string_view bytes) {
  if (fd_ < 0 && memory_.size() + bytes.size() > memory_limit_) {
    spill();
  }
  if (fd_ < 0) {
    memory_.append(bytes);
  } else {
    write_all(fd_, bytes, size_);
  }
  size_ += bytes.size();
}

void Spool::spill() {
  fd_ = unnamed_temporary_file(directory_.empty() ? temporary_directory() : directory_);
  write_all(fd_, memory_, 0);
  std::string().swap(memory_);
}

void Spool::read(std::size_t chunk_bytes,
                 const std::function<bool(std::string_view)>& chunk) const {
  if (fd_ < 0) {
    for (std::size_t at = 0; at < memory_.size(); at += chunk_bytes) {
      if (!chunk(std::string_view(memory_).substr(at, chunk_bytes))) {
        return;
      }
    }
    return;
  }
  std::vector<char> buffer(chunk_bytes);
  for (off_t at = 0;;) {
    const auto got = ::pread(fd_, buffer.data(), buffer.size(), at);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      throw Error(std::string("cannot read the project's temporary file: ") + std::strerror(errno));
    }
    if (got == 0 || !chunk({buffer.data(), static_cast<std::size_t>(got)})) {
      return;
    }
    at += got;
  }
}

}  // namespace gantry::host
