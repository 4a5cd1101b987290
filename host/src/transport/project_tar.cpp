#include "transport/project_tar.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "gantry/archive/libarchive_error.hpp"
#include "gantry/archive/tar_writer.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/project_files.hpp"

namespace gantry::host {
namespace {

using Reader = std::unique_ptr<struct archive, decltype(&archive_read_free)>;

std::vector<std::filesystem::path> project_entries(const std::filesystem::path& project) {
  std::vector<std::filesystem::path> entries;
  auto walk = std::filesystem::recursive_directory_iterator(project);
  for (auto it = std::filesystem::begin(walk); it != std::filesystem::end(walk); ++it) {
    const auto relative = it->path().lexically_relative(project);
    if (sdk::left_out_of_sources(relative.generic_string())) {
      if (it->is_directory() && !it->is_symlink()) {
        it.disable_recursion_pending();
      }
      continue;
    }
    entries.push_back(relative);
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

/// Whether `name` is relative and stays below its root, lexically.
bool stays_inside(const std::string& name) {
  if (name.empty() || name.front() == '/') {
    return false;
  }
  int depth = 0;
  for (const auto& part : std::filesystem::path(name)) {
    if (part == "..") {
      if (--depth < 0) {
        return false;
      }
    } else if (part != "." && !part.empty()) {
      ++depth;
    }
  }
  return true;
}

/// Every directory between `target` and `name`'s parent is a real directory made by
/// this extraction (never a symlink), created when missing.
void make_parents(const std::filesystem::path& target, const std::filesystem::path& name) {
  std::filesystem::path at = target;
  for (const auto& part : name.parent_path()) {
    at /= part;
    struct stat info {};
    if (::lstat(at.c_str(), &info) != 0) {
      if (::mkdir(at.c_str(), 0755) != 0) {
        throw Error("cannot make " + at.string() + ": " + std::strerror(errno));
      }
    } else if (!S_ISDIR(info.st_mode)) {
      throw Error("project entry '" + name.generic_string() + "' lies below '" +
                  at.lexically_relative(target).generic_string() +
                  "', which is not a directory (a symlink cannot be written through)");
    }
  }
}

void write_file(struct archive* reader, const std::filesystem::path& path, mode_t mode,
                const std::string& name) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        (mode & 0755) | 0600);
  if (fd < 0) {
    throw Error(
        "cannot write project entry '" + name + "': " +
        (errno == EEXIST ? std::string("it is in the upload twice") : std::strerror(errno)));
  }
  std::array<char, 1 << 16> buffer{};
  la_ssize_t got = 0;
  while ((got = archive_read_data(reader, buffer.data(), buffer.size())) > 0) {
    if (::write(fd, buffer.data(), static_cast<std::size_t>(got)) != got) {
      ::close(fd);
      throw Error("cannot write project entry '" + name + "': " + std::strerror(errno));
    }
  }
  ::close(fd);
  if (got < 0) {
    throw Error("the project upload is damaged at '" + name +
                "': " + archive::libarchive_error(reader));
  }
}

}  // namespace

std::uint64_t write_project_tar(const std::filesystem::path& project, Spool& tar,
                                const std::map<std::string, std::string>& extra) {
  archive::TarWriter writer([&tar](std::string_view bytes) { tar.write(bytes); }, 0);
  for (const auto& entry : extra) {
    const std::string& content = entry.second;  // a lambda may not capture a binding (clang 14)
    writer.add_file(
        entry.first, content.size(), [&content](const auto& put) { put(content); }, 0644);
  }
  for (const auto& relative : project_entries(project)) {
    if (extra.contains(relative.generic_string())) {
      continue;
    }
    const auto path = project / relative;
    const auto status = std::filesystem::symlink_status(path);
    const auto mode = static_cast<std::uint32_t>(status.permissions()) & 0777U;
    const std::string name = relative.generic_string();
    if (std::filesystem::is_symlink(status)) {
      archive::TarEntry entry;
      entry.name = name;
      entry.type = archive::TarEntry::Type::kSymlink;
      entry.mode = 0777;
      entry.link = std::filesystem::read_symlink(path).string();
      writer.add(entry);
    } else if (std::filesystem::is_directory(status)) {
      writer.add_directory(name + "/", mode);
    } else if (std::filesystem::is_regular_file(status)) {
      writer.add_file_from_disk(name, path, mode);
    }
  }
  writer.finish();
  return tar.size();
}

void extract_project_tar(const Spool& tar, const std::filesystem::path& target,
                         std::uint64_t max_bytes) {
  Reader reader(archive_read_new(), &archive_read_free);
  archive_read_support_format_tar(reader.get());
  const std::string* memory = tar.memory();
  const int opened = memory != nullptr
                         ? archive_read_open_memory(reader.get(), memory->data(), memory->size())
                         : (::lseek(tar.file(), 0, SEEK_SET) == 0
                                ? archive_read_open_fd(reader.get(), tar.file(), 1 << 16)
                                : ARCHIVE_FATAL);
  if (opened != ARCHIVE_OK) {
    throw Error(std::string("the project upload is not a tar: ") +
                archive::libarchive_error(reader.get()));
  }
  std::filesystem::create_directories(target);
  std::uint64_t total = 0;
  struct archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    const char* raw = archive_entry_pathname(entry);
    std::string name = raw == nullptr ? "" : raw;
    while (!name.empty() && name.back() == '/') {
      name.pop_back();
    }
    if (!stays_inside(name)) {
      throw Error("project entry '" + name + "' would be written outside the project");
    }
    const std::filesystem::path relative = std::filesystem::path(name).lexically_normal();
    const auto path = target / relative;
    const auto type = archive_entry_filetype(entry);
    const auto mode = archive_entry_perm(entry) & 0755;
    if (archive_entry_hardlink(entry) != nullptr) {
      throw Error("project entry '" + name + "' is a hard link; uploads hold none");
    }
    make_parents(target, relative);
    if (type == AE_IFDIR) {
      struct stat info {};
      if (::lstat(path.c_str(), &info) == 0 ? !S_ISDIR(info.st_mode)
                                            : ::mkdir(path.c_str(), mode | 0700) != 0) {
        throw Error("cannot make project directory '" + name + "'");
      }
    } else if (type == AE_IFREG) {
      total += static_cast<std::uint64_t>(std::max<la_int64_t>(0, archive_entry_size(entry)));
      if (total > max_bytes) {
        throw Error(
            "the project's files add up to more than " + std::to_string(max_bytes) + " bytes",
            "Leave build output out of the project, or raise the runner's --max-upload.");
      }
      write_file(reader.get(), path, mode, name);
    } else if (type == AE_IFLNK) {
      const char* link = archive_entry_symlink(entry);
      const std::string to = link == nullptr ? "" : link;
      if (!stays_inside((relative.parent_path() / to).generic_string())) {
        throw Error("project entry '" + name + "' is a symlink leading out of the project ('" + to +
                    "')");
      }
      if (::symlink(to.c_str(), path.c_str()) != 0) {
        throw Error("cannot make symlink '" + name + "': " + std::strerror(errno));
      }
    } else {
      throw Error("project entry '" + name + "' is not a file, directory or symlink");
    }
  }
  if (status != ARCHIVE_EOF) {
    throw Error(std::string("the project upload is damaged: ") +
                archive::libarchive_error(reader.get()));
  }
}

}  // namespace gantry::host
