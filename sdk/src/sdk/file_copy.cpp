#include "gantry/sdk/file_copy.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "gantry/sdk/error.hpp"
#include "gantry/sdk/file_error.hpp"

namespace gantry::sdk {

namespace fs = std::filesystem;

CopyResult copy_descriptor_bytes(int in, int out, std::uint64_t size) {
  CopyResult result;
  bool kernel_copy = true;
  std::array<char, 1U << 16> buffer{};
  while (result.copied < size) {
    const std::uint64_t left = size - result.copied;
    if (kernel_copy) {
      const auto done = ::copy_file_range(in, nullptr, out, nullptr, left, 0);
      if (done > 0) {
        result.copied += static_cast<std::uint64_t>(done);
        continue;
      }
      if (done < 0 && errno == EINTR) {
        continue;
      }
      if (done == 0 || errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
          errno == EOPNOTSUPP || errno == EBADF) {
        kernel_copy = false;
        continue;
      }
      result.error = errno;
      return result;
    }
    const auto got = ::read(in, buffer.data(), std::min<std::uint64_t>(left, buffer.size()));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      result.error = got < 0 ? errno : 0;  // 0: the source ended first
      return result;
    }
    for (std::size_t at = 0; at < static_cast<std::size_t>(got);) {
      const auto put = ::write(out, buffer.data() + at, static_cast<std::size_t>(got) - at);
      if (put < 0 && errno == EINTR) {
        continue;
      }
      if (put < 0) {
        result.error = errno;
        return result;
      }
      at += static_cast<std::size_t>(put);
      result.copied += static_cast<std::uint64_t>(put);
    }
  }
  return result;
}

void copy_to_new_file(const fs::path& source, const fs::path& target) {
  const auto fail = [](const std::string& what, int error_number) {
    throw Error(what + ": " + std::strerror(error_number), file_error_resolution(error_number));
  };
  const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    const int error = errno;
    fail("cannot read " + source.string(), error);
  }
  struct stat status {};
  if (::fstat(in, &status) != 0) {
    const int error = errno;
    ::close(in);
    fail("cannot read " + source.string(), error);
  }
  const int out =
      ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, status.st_mode & 07777U);
  if (out < 0) {
    const int error = errno;
    ::close(in);
    fail("cannot create " + target.string(), error);
  }
  const auto size = static_cast<std::uint64_t>(status.st_size);
  CopyResult copy{.copied = size};
  if (size > 0 && ::ioctl(out, FICLONE, in) != 0) {
    copy = copy_descriptor_bytes(in, out, size);  // the file system shares no blocks
  }
  if (copy.error == 0 && copy.copied == size && ::fchmod(out, status.st_mode & 07777U) != 0) {
    copy.error = errno;  // the umask narrowed the mode open gave
  }
  ::close(in);
  // A file system that writes late (NFS, a quota) can say only now that it failed.
  if (::close(out) != 0 && copy.error == 0) {
    copy.error = errno;
  }
  if (copy.error != 0 || copy.copied < size) {
    ::unlink(target.c_str());
    if (copy.error == 0) {
      throw Error(source.string() + " became shorter while it was copied to " + target.string());
    }
    fail("cannot copy " + source.string() + " to " + target.string(), copy.error);
  }
}

}  // namespace gantry::sdk
