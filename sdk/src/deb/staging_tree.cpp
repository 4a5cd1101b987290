#include "gantry/deb/staging_tree.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <deque>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/deb/deb_error.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    const auto part =
        path.substr(start, end == std::string_view::npos ? path.size() - start : end - start);
    if (!part.empty() && part != ".") {
      parts.emplace_back(part);
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return parts;
}

fs::path join(const fs::path& root, const std::vector<std::string>& parts) {
  fs::path path = root;
  for (const auto& part : parts) {
    path /= part;
  }
  return path;
}

[[noreturn]] void escape(std::string_view name, const std::string& why) {
  throw DebError(
      "the archive entry '" + std::string(name) + "' " + why + "; the package is refused",
      "This package is malformed or hostile; nothing was written outside the "
      "staging directory. Do not use it.");
}

void fail_io(const fs::path& path, const char* what) {
  throw DebError(std::string("cannot ") + what + " " + path.string() + ": " + std::strerror(errno),
                 "Check the staging directory's permissions and free space.");
}

void set_mtime(const fs::path& path, std::int64_t mtime) {
  const struct timespec times[2] = {{static_cast<time_t>(mtime), 0},
                                    {static_cast<time_t>(mtime), 0}};
  ::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

}  // namespace

StagingTree::StagingTree(fs::path root, Warn warn, CachedFiles cached)
    : root_(std::move(root)), warn_(std::move(warn)), cached_(cached) {
  fs::create_directories(root_);
}

std::vector<std::string> StagingTree::checked(std::string_view name) const {
  if (name.starts_with("/")) {
    escape(name, "has an absolute path");
  }
  auto parts = split_path(name);
  for (const auto& part : parts) {
    if (part == "..") {
      escape(name, "climbs out with '..'");
    }
  }
  return parts;
}

fs::path StagingTree::place(const std::vector<std::string>& components, std::string_view name,
                            bool follow_last, bool create_parents) const {
  std::vector<std::string> resolved;
  std::deque<std::string> todo(components.begin(), components.end());
  int links = 0;
  while (!todo.empty()) {
    const std::string part = todo.front();
    todo.pop_front();
    if (part == "..") {
      if (resolved.empty()) {
        escape(name, "goes through a symlink that points outside the staging directory");
      }
      resolved.pop_back();
      continue;
    }
    const bool last = todo.empty();
    const fs::path path = join(root_, resolved) / part;
    struct stat status {};
    const bool exists = ::lstat(path.c_str(), &status) == 0;
    if (exists && S_ISLNK(status.st_mode) && (!last || follow_last)) {
      if (++links > 40) {
        escape(name, "goes through too many symlinks");
      }
      std::array<char, 4096> target{};
      const auto length = ::readlink(path.c_str(), target.data(), target.size() - 1);
      if (length < 0) {
        fail_io(path, "read the symlink");
      }
      const std::string_view link(target.data(), static_cast<std::size_t>(length));
      if (link.starts_with("/")) {
        resolved.clear();
      }
      auto more = split_path(link);
      todo.insert(todo.begin(), more.begin(), more.end());
      continue;
    }
    if (!last && create_parents && !exists) {
      if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
        fail_io(path, "create the directory");
      }
    } else if (!last && exists && !S_ISDIR(status.st_mode)) {
      throw DebError(
          "cannot write '" + std::string(name) + "': " + path.string() + " is not a directory",
          "Two packages disagree on whether this path is a directory.");
    }
    resolved.push_back(part);
  }
  return join(root_, resolved);
}

void StagingTree::make_room(const fs::path& path, std::string_view name) const {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) {
    return;
  }
  if (S_ISDIR(status.st_mode)) {
    std::error_code error;
    if (!fs::is_empty(path, error)) {
      throw DebError("cannot write '" + std::string(name) + "': a non-empty directory is there",
                     "Two packages disagree on whether this path is a directory.");
    }
    ::rmdir(path.c_str());
    return;
  }
  if (::unlink(path.c_str()) != 0) {
    fail_io(path, "replace");
  }
}

void StagingTree::add_directory(std::string_view name, std::uint32_t mode) {
  const auto parts = checked(name);
  if (parts.empty()) {
    return;  // "./" itself
  }
  // An existing symlink to a directory stays (dpkg keeps it), so follow the last part.
  const fs::path path = place(parts, name, true, true);
  struct stat status {};
  if (::lstat(path.c_str(), &status) == 0 && !S_ISDIR(status.st_mode)) {
    make_room(path, name);
  }
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
    fail_io(path, "create the directory");
  }
  // Keep the owner able to write into it, so later packages can add files.
  ::chmod(path.c_str(), (mode & 01777U) | 0700U);
}

std::pair<int, fs::path> StagingTree::create_file(std::string_view name,
                                                  std::uint32_t& mode) const {
  const auto parts = checked(name);
  if (parts.empty()) {
    escape(name, "has no name");
  }
  const fs::path path = place(parts, name, false, true);
  make_room(path, name);
  if ((mode & 06000U) != 0) {
    warn_("dropped the setuid/setgid bit of /" + join({}, parts).string());
    mode &= 01777U;
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    fail_io(path, "create");
  }
  return {fd, path};
}

void StagingTree::add_file(
    std::string_view name, std::uint32_t mode, std::int64_t mtime,
    const std::function<void(const std::function<void(std::string_view)>&)>& fill) {
  if (cancelled_ && cancelled_()) {
    throw Cancelled();
  }
  const auto [fd, path] = create_file(name, mode);
  try {
    fill([&, fd = fd, &path = path](std::string_view bytes) {
      if (cancelled_ && cancelled_()) {
        throw Cancelled();
      }
      while (!bytes.empty()) {
        const auto written = ::write(fd, bytes.data(), bytes.size());
        if (written < 0) {
          if (errno == EINTR) {
            continue;
          }
          fail_io(path, "write");
        }
        bytes.remove_prefix(static_cast<std::size_t>(written));
      }
    });
  } catch (...) {
    ::close(fd);
    ::unlink(path.c_str());
    throw;
  }
  ::fchmod(fd, mode & 07777U);
  ::close(fd);
  set_mtime(path, mtime);
}

void StagingTree::add_file_copy(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                                const fs::path& source) {
  const int in = ::open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    fail_io(source, "read");
  }
  const auto [fd, path] = create_file(name, mode);
  struct stat status {};
  ::fstat(in, &status);
  auto left = static_cast<std::size_t>(status.st_size);
  if (left > 0 && ::ioctl(fd, FICLONE, in) == 0) {
    left = 0;  // the filesystem shares the blocks until one side is written
  }
  while (left > 0) {
    const auto copied = ::copy_file_range(in, nullptr, fd, nullptr, left, 0);
    if (copied <= 0) {
      if (copied < 0 && errno == EINTR) {
        continue;
      }
      const int saved = errno;
      ::close(in);
      ::close(fd);
      ::unlink(path.c_str());
      errno = saved;
      fail_io(path, "write");
    }
    left -= static_cast<std::size_t>(copied);
  }
  ::close(in);
  ::fchmod(fd, mode & 07777U);
  ::close(fd);
  set_mtime(path, mtime);
}

void StagingTree::add_cached_file(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                                  const fs::path& source) {
  if (cached_ == CachedFiles::kCopy) {
    add_file_copy(name, mode, mtime, source);
    return;
  }
  const auto parts = checked(name);
  if (parts.empty()) {
    escape(name, "has no name");
  }
  const fs::path path = place(parts, name, false, true);
  make_room(path, name);
  if (::link(source.c_str(), path.c_str()) == 0) {
    return;
  }
  if (errno != EXDEV && errno != EMLINK && errno != EPERM) {
    fail_io(path, "link");
  }
  add_file_copy(name, mode, mtime, source);
}

void StagingTree::add_symlink(std::string_view name, const std::string& target,
                              std::int64_t mtime) {
  const auto parts = checked(name);
  if (parts.empty()) {
    escape(name, "has no name");
  }
  const fs::path path = place(parts, name, false, true);
  make_room(path, name);
  if (::symlink(target.c_str(), path.c_str()) != 0) {
    fail_io(path, "create the symlink");
  }
  set_mtime(path, mtime);
}

void StagingTree::add_hardlink(std::string_view name, std::string_view existing) {
  const auto parts = checked(name);
  const auto existing_parts = checked(existing);
  const fs::path source = place(existing_parts, existing, false, false);
  const fs::path path = place(parts, name, false, true);
  make_room(path, name);
  if (::link(source.c_str(), path.c_str()) != 0) {
    fail_io(path, "create the hard link");
  }
}

void StagingTree::report_skipped(std::string_view name, std::string_view kind) const {
  auto parts = split_path(name);
  warn_("skipped the " + std::string(kind) + " /" + join({}, parts).string() +
        ": an unprivileged unpack cannot make it");
}

void StagingTree::replace_file(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                               std::string_view content) {
  const auto parts = checked(name);
  if (parts.empty()) {
    escape(name, "has no name");
  }
  const fs::path path = place(parts, name, false, true);
  struct stat status {};
  if (::lstat(path.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
    make_room(path, name);
  }
  try {
    archive::AtomicFile file(path, archive::AtomicFile::Durability::kUnsynced);
    file.write(content);
    file.set_permissions(mode & 01777U);
    file.commit();
  } catch (const Error& error) {
    throw DebError(error.what(), "Check the staging directory's permissions and free space.");
  }
  set_mtime(path, mtime);
}

std::optional<std::string> StagingTree::read_regular_file(std::string_view name,
                                                          std::size_t limit) const {
  fs::path path;
  try {
    path = place(checked(name), name, false, false);
  } catch (const DebError&) {
    return std::nullopt;  // it leads out of the tree
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return std::nullopt;
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    return std::nullopt;
  }
  std::string content;
  std::array<char, 1 << 16> buffer{};
  while (content.size() < limit) {
    const auto got = ::read(fd, buffer.data(), std::min(buffer.size(), limit - content.size()));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      break;
    }
    content.append(buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(fd);
  return content;
}

bool StagingTree::remove(std::string_view name) {
  const auto parts = checked(name);
  if (parts.empty()) {
    return false;
  }
  fs::path path;
  try {
    path = place(parts, name, false, false);
  } catch (const DebError&) {
    return false;  // its directory leads out of the tree: nothing of ours is there
  }
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0 || S_ISDIR(status.st_mode)) {
    return false;
  }
  if (::unlink(path.c_str()) != 0) {
    fail_io(path, "remove");
  }
  return true;
}

bool StagingTree::exists(std::string_view name) const {
  try {
    const fs::path path = place(checked(name), name, true, false);
    struct stat status {};
    return ::lstat(path.c_str(), &status) == 0;
  } catch (const DebError&) {
    return false;
  }
}

std::vector<std::string> StagingTree::list_directory(std::string_view name) const {
  std::vector<std::string> names;
  fs::path path;
  try {
    path = place(checked(name), name, true, false);
  } catch (const DebError&) {
    return names;
  }
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0 || !S_ISDIR(status.st_mode)) {
    return names;
  }
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(path, error)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace gantry::deb
