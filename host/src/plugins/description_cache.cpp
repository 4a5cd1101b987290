#include "plugins/description_cache.hpp"

#include <sys/stat.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "gantry/archive/atomic_file.hpp"

namespace gantry::host {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 8U << 20;
constexpr std::string_view kFileHeader = "gantry-plugin-descriptions 2\n";

std::optional<std::filesystem::path> absolute_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || value[0] != '/') {
    return std::nullopt;
  }
  return std::filesystem::path(value);
}

/// Reads the text up to the next newline from `text` at `at`, moving past it.
std::optional<std::string_view> next_line(std::string_view text, std::size_t& at) {
  const auto end = text.find('\n', at);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  const auto line = text.substr(at, end - at);
  at = end + 1;
  return line;
}

template <typename Number>
bool parse_number(std::string_view& text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) {
    return false;
  }
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  if (!text.empty() && text.front() == ' ') {
    text.remove_prefix(1);
  }
  return true;
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

// The file: its header line, then per entry a line with the plugin's path, a line
// "SIZE MTIME_NS LENGTH", and LENGTH bytes of serialized description with a newline.
std::optional<DescriptionCache::Entries> DescriptionCache::parse(std::string_view text) {
  if (!text.starts_with(kFileHeader)) {
    return std::nullopt;
  }
  Entries read;
  std::size_t at = kFileHeader.size();
  while (at < text.size()) {
    const auto path = next_line(text, at);
    auto numbers = next_line(text, at);
    Entry entry;
    std::size_t length = 0;
    if (!path || path->empty() || !numbers || !parse_number(*numbers, entry.size) ||
        !parse_number(*numbers, entry.mtime_ns) || !parse_number(*numbers, length) ||
        !numbers->empty() || length >= text.size() - at || text[at + length] != '\n') {
      return std::nullopt;
    }
    entry.description = text.substr(at, length);
    at += length + 1;
    read[std::string(*path)] = std::move(entry);
  }
  return read;
}

std::string DescriptionCache::serialize(const Entries& entries) {
  std::string text(kFileHeader);
  for (const auto& [path, entry] : entries) {
    text += path + "\n" + std::to_string(entry.size) + " " + std::to_string(entry.mtime_ns) + " " +
            std::to_string(entry.description.size()) + "\n" + entry.description + "\n";
  }
  return text;
}

void DescriptionCache::load() const {
  loaded_ = true;
  const auto file = dir_ / "descriptions";
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error || size > kMaxFileBytes) {
    return;
  }
  std::ifstream in(file, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Damaged: every entry is a miss, and the next store rewrites the file.
  if (auto read = parse(text)) {
    entries_ = std::move(*read);
  }
}

void DescriptionCache::save() const {
  const std::string text = serialize(entries_);
  if (text.size() > kMaxFileBytes) {
    return;  // it would not be read back; the next command loads what is missing
  }
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) {
    return;
  }
  // Under a name of its own (mkstemp), renamed into place: concurrent processes, even in
  // containers that share this directory and not their pids, never mix their writes.
  archive::AtomicFile file(dir_ / "descriptions", archive::AtomicFile::Durability::kUnsynced);
  file.write(text);
  file.commit();
  // Earlier builds of gantry kept one NAME.desc file per plugin here.
  for (std::filesystem::directory_iterator it(dir_, error), end; !error && it != end;
       it.increment(error)) {
    const auto name = it->path().filename().string();
    if (name.ends_with(".desc") || name.find(".desc.tmp") != std::string::npos) {
      std::error_code ignored;
      std::filesystem::remove(it->path(), ignored);
    }
  }
}

std::optional<v1::StepDescription> DescriptionCache::find(const FileIdentity& identity) const {
  if (!loaded_) {
    load();
  }
  const auto found = entries_.find(identity.path.string());
  if (found == entries_.end() || found->second.size != identity.size ||
      found->second.mtime_ns != identity.mtime_ns) {
    return std::nullopt;
  }
  v1::StepDescription description;
  if (!description.ParseFromString(found->second.description)) {
    return std::nullopt;
  }
  return description;
}

void DescriptionCache::store(const FileIdentity& identity,
                             const v1::StepDescription& description) const noexcept {
  if (identity.path.string().find('\n') != std::string::npos) {
    return;  // a name the file's lines cannot hold: the plugin is loaded each time
  }
  try {
    // What another process stored since this one read the file is kept.
    load();
    entries_[identity.path.string()] = {identity.size, identity.mtime_ns,
                                        description.SerializeAsString()};
    for (auto it = entries_.begin(); it != entries_.end();) {
      std::error_code error;
      it = std::filesystem::exists(it->first, error) || error ? std::next(it) : entries_.erase(it);
    }
    save();
  } catch (...) {
    // A cache that cannot be written only costs the next command a library load.
  }
}

}  // namespace gantry::host
