#include "gantry/sdk/tree_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "gantry/sdk/error.hpp"

namespace gantry::sdk {
namespace {

[[noreturn]] void unreadable(const std::filesystem::path& root, const std::string& prefix) {
  const int error = errno;
  const auto path = prefix.empty() ? root : root / prefix;
  throw Error("cannot read " + path.string() + ": " + std::strerror(error),
              "Check that it exists and that you may read it.");
}

/// Walks the directory open as `fd` (taken over and closed), whose entries are named
/// `prefix` + their own name.
void walk_directory(int fd, const std::filesystem::path& root, std::string& prefix,
                    const TreeVisitor& visit, TreeDetail detail) {
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    unreadable(root, prefix);
  }
  struct Closer {
    DIR* dir;
    ~Closer() { ::closedir(dir); }
  } closer{dir};
  const std::size_t prefix_size = prefix.size();
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(dir);
    if (entry == nullptr) {
      if (errno != 0) {
        unreadable(root, prefix);
      }
      return;
    }
    const char* name = entry->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) {
      continue;
    }
    struct stat status {};
    if (detail == TreeDetail::kKind && entry->d_type != DT_UNKNOWN) {
      status.st_mode = DTTOIF(entry->d_type);
    } else if (::fstatat(::dirfd(dir), name, &status, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) {
        continue;  // removed since it was listed
      }
      prefix += name;
      unreadable(root, prefix);
    }
    prefix.resize(prefix_size);
    prefix += name;
    if (visit(prefix, status) && S_ISDIR(status.st_mode)) {
      const int child =
          ::openat(::dirfd(dir), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (child < 0) {
        if (errno != ENOENT) {
          unreadable(root, prefix);
        }
      } else {
        prefix += '/';
        walk_directory(child, root, prefix, visit, detail);
      }
    }
    prefix.resize(prefix_size);
  }
}

}  // namespace

void walk_tree(const std::filesystem::path& root, const TreeVisitor& visit, TreeDetail detail) {
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::string prefix;
  if (fd < 0) {
    unreadable(root, prefix);
  }
  walk_directory(fd, root, prefix, visit, detail);
}

}  // namespace gantry::sdk
