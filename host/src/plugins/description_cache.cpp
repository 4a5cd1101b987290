#include "plugins/description_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>

namespace gantry::host {
namespace {

constexpr std::uintmax_t kMaxEntryBytes = 1 << 20;

/// The first part of an entry: the whole identity, so a hash collision is only a miss.
std::string header(const FileIdentity& identity) {
  return "gantry-plugin-description 1\n" + identity.path.string() + "\n" +
         std::to_string(identity.size) + " " + std::to_string(identity.mtime_ns) + "\n";
}

std::optional<std::filesystem::path> absolute_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || value[0] != '/') {
    return std::nullopt;
  }
  return std::filesystem::path(value);
}

}  // namespace

std::optional<FileIdentity> identify(const std::filesystem::path& file) {
  struct stat status {};
  if (::stat(file.c_str(), &status) != 0) {
    return std::nullopt;
  }
  return FileIdentity{
      file, static_cast<std::uint64_t>(status.st_size),
      static_cast<std::int64_t>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec};
}

std::optional<std::filesystem::path> DescriptionCache::default_dir() {
  if (const auto cache = absolute_env("XDG_CACHE_HOME")) {
    return *cache / "gantry" / "plugins";
  }
  if (const auto home = absolute_env("HOME")) {
    return *home / ".cache" / "gantry" / "plugins";
  }
  return std::nullopt;
}

std::filesystem::path DescriptionCache::entry_path(const FileIdentity& identity) const {
  std::ostringstream name;
  name << std::hex << std::hash<std::string>{}(identity.path.string()) << ".desc";
  return dir_ / name.str();
}

std::optional<v1::StepDescription> DescriptionCache::find(const FileIdentity& identity) const {
  const auto path = entry_path(identity);
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error || size > kMaxEntryBytes) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string expected = header(identity);
  if (text.compare(0, expected.size(), expected) != 0) {
    return std::nullopt;
  }
  v1::StepDescription description;
  if (!description.ParseFromArray(text.data() + expected.size(),
                                  static_cast<int>(text.size() - expected.size()))) {
    return std::nullopt;
  }
  return description;
}

void DescriptionCache::store(const FileIdentity& identity,
                             const v1::StepDescription& description) const noexcept {
  try {
    std::error_code error;
    std::filesystem::create_directories(dir_, error);
    if (error) {
      return;
    }
    const auto path = entry_path(identity);
    auto temporary = path;
    temporary += ".tmp" + std::to_string(::getpid());
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << header(identity) << description.SerializeAsString();
      if (!out.flush()) {
        std::filesystem::remove(temporary, error);
        return;
      }
    }
    std::filesystem::rename(temporary, path, error);
    if (error) {
      std::filesystem::remove(temporary, error);
    }
  } catch (...) {
    // A cache that cannot be written only costs the next command a library load.
  }
}

}  // namespace gantry::host
