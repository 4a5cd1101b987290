#include "gantry/archive/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "gantry/sdk/error.hpp"
#include "gantry/sdk/file_copy.hpp"
#include "gantry/sdk/file_error.hpp"

namespace gantry::archive {

AtomicFile::AtomicFile(std::filesystem::path target, Durability durability)
    : target_(std::move(target)), durability_(durability) {
  const auto dir = target_.has_parent_path() ? target_.parent_path() : std::filesystem::path(".");
  std::string pattern = (dir / ("." + target_.filename().string() + ".tmp-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  fd_ = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd_ < 0) {
    throw Error("cannot write " + target_.string() + ": " + std::strerror(errno),
                "Check that " + dir.string() + " exists and is writable.");
  }
  temporary_ = name.data();
  ::fchmod(fd_, 0644);
}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)),
      temporary_(std::move(other.temporary_)),
      fd_(other.fd_),
      written_(other.written_),
      durability_(other.durability_) {
  other.fd_ = -1;
  other.temporary_.clear();
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  if (!temporary_.empty()) {
    ::unlink(temporary_.c_str());
  }
}

void AtomicFile::set_permissions(std::uint32_t mode) { ::fchmod(fd_, mode & 07777U); }

void AtomicFile::write(std::string_view bytes) {
  while (!bytes.empty()) {
    const auto done = ::write(fd_, bytes.data(), bytes.size());
    if (done < 0 && errno == EINTR) {
      continue;
    }
    if (done < 0) {
      const int error = errno;
      throw Error("cannot write " + target_.string() + ": " + std::strerror(error),
                  sdk::file_error_resolution(error));
    }
    bytes.remove_prefix(static_cast<std::size_t>(done));
    written_ += static_cast<std::uint64_t>(done);
  }
}

void AtomicFile::append_file(const std::filesystem::path& source, std::uint64_t size) {
  const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    const int error = errno;
    throw Error("cannot read " + source.string() + ": " + std::strerror(error),
                sdk::file_error_resolution(error));
  }
  const auto copy = sdk::copy_descriptor_bytes(in, fd_, size);
  ::close(in);
  written_ += copy.copied;
  if (copy.error != 0) {
    throw Error("cannot copy " + source.string() + " into " + target_.string() + ": " +
                    std::strerror(copy.error),
                sdk::file_error_resolution(copy.error));
  }
  if (copy.copied < size) {
    throw Error(source.string() + " became shorter while it was copied into " + target_.string());
  }
}

void AtomicFile::commit() {
  const bool synced = durability_ == Durability::kUnsynced || ::fsync(fd_) == 0;
  const int sync_error = errno;
  const bool closed = ::close(fd_) == 0;
  fd_ = -1;
  if (!synced || !closed) {
    throw Error("cannot write " + target_.string() + ": " +
                std::strerror(synced ? errno : sync_error));
  }
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
    throw Error("cannot move " + temporary_.string() + " to " + target_.string() + ": " +
                std::strerror(errno));
  }
  temporary_.clear();
}

void write_file_atomically(const std::filesystem::path& target, std::string_view bytes,
                           AtomicFile::Durability durability) {
  AtomicFile file(target, durability);
  file.write(bytes);
  file.commit();
}

}  // namespace gantry::archive
