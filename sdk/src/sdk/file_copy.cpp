#include "gantry/sdk/file_copy.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "gantry/sdk/error.hpp"
#include "gantry/sdk/file_error.hpp"

namespace gantry::sdk {
namespace {

namespace fs = std::filesystem;

/// Closes a descriptor when it goes out of scope.
struct Descriptor {
  int fd;
  explicit Descriptor(int descriptor) : fd(descriptor) {}
  ~Descriptor() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
};

[[noreturn]] void fail(const std::string& what, int error_number) {
  throw Error(what + ": " + std::strerror(error_number), file_error_resolution(error_number));
}

/// Copies `size` bytes from `in` to `out`; returns 0, or the errno of what failed.
int copy_bytes(int in, int out, std::uint64_t size) {
  bool kernel_copy = true;
  std::array<char, 1U << 16> buffer{};
  while (size > 0) {
    if (kernel_copy) {
      const auto done = ::copy_file_range(in, nullptr, out, nullptr, size, 0);
      if (done > 0) {
        size -= static_cast<std::uint64_t>(done);
        continue;
      }
      if (done < 0 && errno == EINTR) {
        continue;
      }
      // Another file system, no support, or nothing copied and no error (some kernels,
      // FUSE): the rest goes through here.
      if (done == 0 || errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
          errno == EOPNOTSUPP || errno == EBADF) {
        kernel_copy = false;
        continue;
      }
      return errno;
    }
    const auto got = ::read(in, buffer.data(), std::min<std::uint64_t>(size, buffer.size()));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      return errno;
    }
    if (got == 0) {
      return 0;  // the source became shorter: what there was is copied
    }
    for (std::size_t at = 0; at < static_cast<std::size_t>(got);) {
      const auto put = ::write(out, buffer.data() + at, static_cast<std::size_t>(got) - at);
      if (put < 0 && errno == EINTR) {
        continue;
      }
      if (put < 0) {
        return errno;
      }
      at += static_cast<std::size_t>(put);
    }
    size -= static_cast<std::uint64_t>(got);
  }
  return 0;
}

}  // namespace

void copy_to_new_file(const fs::path& source, const fs::path& target) {
  const Descriptor in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat status {};
  if (in.fd < 0 || ::fstat(in.fd, &status) != 0) {
    fail("cannot read " + source.string(), errno);
  }
  const Descriptor out(
      ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, status.st_mode & 07777U));
  if (out.fd < 0) {
    fail("cannot create " + target.string(), errno);
  }
  int error = 0;
  if (status.st_size > 0 && ::ioctl(out.fd, FICLONE, in.fd) != 0) {
    error = copy_bytes(in.fd, out.fd, static_cast<std::uint64_t>(status.st_size));
  }
  if (error == 0 && ::fchmod(out.fd, status.st_mode & 07777U) != 0) {
    error = errno;  // the umask narrowed the mode open gave
  }
  if (error != 0) {
    ::unlink(target.c_str());
    fail("cannot copy " + source.string() + " to " + target.string(), error);
  }
}

}  // namespace gantry::sdk
