#include "gantry/deb/package_index.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <deque>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "file_text.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/field_grammar.hpp"
#include "gantry/deb/relation.hpp"
#include "gantry/deb/version.hpp"
#include "gantry/net/encoding.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

// Version 2: names, versions and architectures are checked against Debian's grammar.
constexpr std::string_view kTableHeader = "gantry-package-table 2\n";

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

/// A read-only memory map of a whole file.
class MappedFile {
 public:
  explicit MappedFile(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat status {};
    if (fd < 0 || ::fstat(fd, &status) != 0) {
      if (fd >= 0) {
        ::close(fd);
      }
      throw DebError("cannot read the index " + path.string(),
                     "Remove the cache directory and try again.");
    }
    size_ = static_cast<std::size_t>(status.st_size);
    if (size_ > 0) {
      data_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (data_ == MAP_FAILED) {
      throw DebError("cannot map the index " + path.string(),
                     "Remove the cache directory and try again.");
    }
  }
  ~MappedFile() {
    if (data_ != nullptr && data_ != MAP_FAILED) {
      ::munmap(data_, size_);
    }
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] std::string_view text() const {
    return data_ == nullptr ? std::string_view()
                            : std::string_view(static_cast<char*>(data_), size_);
  }

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

/// One package as the table lists it.
struct Entry {
  std::string_view name;
  std::string_view version;
  std::string_view architecture;
  std::string_view provides;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint32_t source = 0;
};

/// One Packages file: its text (owned or mapped), repository and name.
struct Source {
  std::string owned;
  std::unique_ptr<MappedFile> mapped;
  std::string repository;
  std::string origin;
  [[nodiscard]] std::string_view text() const {
    return mapped ? mapped->text() : std::string_view(owned);
  }
};

std::uint64_t number(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

Package parse_package(const Entry& entry, const Source& source) {
  const auto stanza = source.text().substr(entry.offset, entry.length);
  Package package;
  std::string_view size;
  std::string_view essential;
  for_each_paragraph(stanza, source.origin, [&](const Paragraph& paragraph) {
    package.stanza = paragraph.text();
    // One pass over the fields.
    for (const auto& field : paragraph.fields()) {
      const auto value = trimmed(field.value);
      const auto is = [&](std::string_view name) { return field_name_equal(field.name, name); };
      if (is("Filename")) {
        package.filename = value;
      } else if (is("SHA256")) {
        package.sha256 = value;
      } else if (is("Size")) {
        size = value;
      } else if (is("Depends")) {
        package.depends = value;
      } else if (is("Pre-Depends")) {
        package.pre_depends = value;
      } else if (is("Multi-Arch")) {
        package.multi_arch = value;
      } else if (is("Priority")) {
        package.priority = value;
      } else if (is("Essential")) {
        essential = value;
      }
    }
  });
  package.name = entry.name;
  package.version = entry.version;
  package.architecture = entry.architecture;
  package.provides = entry.provides;
  package.size = number(size);
  package.essential = essential == "yes";
  package.repository = source.repository;
  const std::string where = source.origin + ": " + std::string(entry.name);
  if (package.filename.empty()) {
    throw DebError(where + " has no Filename",
                   "The repository's Packages index is broken; regenerate it "
                   "(dpkg-scanpackages).");
  }
  if (!is_relative_file_name(package.filename)) {
    throw DebError(where + " has the Filename '" + std::string(package.filename) +
                       "', which leaves the repository",
                   "The repository is broken or hostile; nothing from it was used. Remove it "
                   "from your sources.");
  }
  if (package.sha256.empty()) {
    throw DebError(where + " has no SHA256",
                   "Regenerate the index with a tool that writes SHA256 (dpkg-scanpackages "
                   "does).");
  }
  if (!is_lower_hex(package.sha256, 64)) {
    throw DebError(where + " has a malformed SHA256 '" + std::string(package.sha256) + "'",
                   "The repository is broken or hostile; nothing from it was used. Remove it "
                   "from your sources.");
  }
  return package;
}

}  // namespace

std::string package_table(std::string_view text, const std::string& origin) {
  std::string table(kTableHeader);
  table.reserve(text.size() / 12);
  for_each_paragraph(text, origin, [&](const Paragraph& paragraph) {
    std::string_view name;
    std::string_view version;
    std::string_view architecture;
    std::string provides;
    for (const auto& field : paragraph.fields()) {
      const auto is = [&](std::string_view wanted) { return field_name_equal(field.name, wanted); };
      if (is("Package")) {
        name = trimmed(field.value);
      } else if (is("Version")) {
        version = trimmed(field.value);
      } else if (is("Architecture")) {
        architecture = trimmed(field.value);
      } else if (is("Provides")) {
        for (const auto line : value_lines(field.value)) {
          provides += (provides.empty() ? "" : " ") + std::string(line);
        }
      }
    }
    if (name.empty() || version.empty() || architecture.empty()) {
      throw DebError(origin + ":" + std::to_string(paragraph.line()) +
                         ": a package without Package, Version or Architecture",
                     "The repository's Packages index is broken; regenerate it "
                     "(dpkg-scanpackages).");
    }
    // The name becomes a file name in the staged tree, the version and architecture parts
    // of messages and records: what does not match Debian's grammar is refused here.
    const auto refuse = [&](const char* what, std::string_view value) {
      throw DebError(origin + ":" + std::to_string(paragraph.line()) + ": the " + what + " '" +
                         net::printable(value) + "' is not valid in Debian",
                     "The repository is broken or hostile; nothing from it was used. Remove "
                     "it from your sources, or ask its owner to fix its Packages index.");
    };
    if (!is_package_name(name)) {
      refuse("package name", name);
    }
    if (!is_package_version(version)) {
      refuse("version", version);
    }
    if (!is_architecture(architecture)) {
      refuse("architecture", architecture);
    }
    const auto offset = static_cast<std::uint64_t>(paragraph.text().data() - text.data());
    table.append(name).append("\t").append(version).append("\t").append(architecture);
    table.append("\t").append(std::to_string(offset)).append("\t");
    table.append(std::to_string(paragraph.text().size())).append("\t").append(provides);
    table.append("\n");
  });
  return table;
}

struct PackageIndex::State {
  std::deque<Source> sources;
  std::deque<std::string> tables;
  std::vector<Entry> entries;
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_name;
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::string>>> provided;
  // Filled by lookups.
  std::unordered_map<std::size_t, std::unique_ptr<Package>> parsed;
  std::unordered_map<std::string, std::vector<const Package*>> versions;
  std::unordered_map<std::string, std::vector<Provider>> providers;

  const Package* package(std::size_t index) {
    auto& slot = parsed[index];
    if (!slot) {
      const Entry& entry = entries[index];
      slot = std::make_unique<Package>(parse_package(entry, sources[entry.source]));
    }
    return slot.get();
  }
};

PackageIndex::PackageIndex(std::string architecture)
    : architecture_(std::move(architecture)), state_(std::make_unique<State>()) {}
PackageIndex::~PackageIndex() = default;
PackageIndex::PackageIndex(PackageIndex&&) noexcept = default;

std::size_t PackageIndex::size() const { return state_->entries.size(); }

namespace {

// Reads a table into entries of `source`, keeping the native architecture and "all".
void load_table(std::string_view table, std::uint32_t source, const std::string& architecture,
                const std::string& origin, std::vector<Entry>& entries) {
  if (!table.starts_with(kTableHeader)) {
    throw DebError("the package table for " + origin + " is not one gantry wrote",
                   "Remove the cache directory and try again.");
  }
  table.remove_prefix(kTableHeader.size());
  while (!table.empty()) {
    const auto end = table.find('\n');
    const auto line = table.substr(0, end);
    table.remove_prefix(end == std::string_view::npos ? table.size() : end + 1);
    std::array<std::string_view, 6> columns{};
    std::size_t start = 0;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto tab = i + 1 < columns.size() ? line.find('\t', start) : std::string_view::npos;
      columns[i] =
          line.substr(start, tab == std::string_view::npos ? line.size() - start : tab - start);
      start = tab == std::string_view::npos ? line.size() : tab + 1;
    }
    if (columns[2] != architecture && columns[2] != "all") {
      continue;
    }
    entries.push_back({columns[0], columns[1], columns[2], columns[5], number(columns[3]),
                       number(columns[4]), source});
  }
}

}  // namespace

void PackageIndex::add(std::string text, std::string repository, const std::string& origin) {
  auto& state = *state_;
  auto& source = state.sources.emplace_back();
  source.owned = std::move(text);
  source.repository = std::move(repository);
  source.origin = origin;
  const std::string_view table = state.tables.emplace_back(package_table(source.owned, origin));
  const std::size_t first = state.entries.size();
  load_table(table, static_cast<std::uint32_t>(state.sources.size() - 1), architecture_, origin,
             state.entries);
  index_entries(first);
}

void PackageIndex::add_file(const fs::path& file, std::string repository,
                            const std::string& origin) {
  auto& state = *state_;
  auto& source = state.sources.emplace_back();
  source.mapped = std::make_unique<MappedFile>(file);
  source.repository = std::move(repository);
  source.origin = origin;
  const fs::path table_file = file.string() + ".table";
  std::string table;
  if (fs::exists(table_file)) {
    table = file_text(table_file, "the package table");
  } else {
    table = package_table(source.text(), origin);
    archive::write_file_atomically(table_file, table, archive::AtomicFile::Durability::kUnsynced);
  }
  const std::string_view stored = state.tables.emplace_back(std::move(table));
  const std::size_t first = state.entries.size();
  load_table(stored, static_cast<std::uint32_t>(state.sources.size() - 1), architecture_, origin,
             state.entries);
  index_entries(first);
}

void PackageIndex::index_entries(std::size_t first) {
  auto& state = *state_;
  state.by_name.reserve(state.by_name.size() + (state.entries.size() - first));
  for (std::size_t i = first; i < state.entries.size(); ++i) {
    const Entry& entry = state.entries[i];
    auto& versions = state.by_name[entry.name];
    const bool duplicate = std::any_of(versions.begin(), versions.end(), [&](std::size_t j) {
      return state.entries[j].version == entry.version &&
             state.entries[j].architecture == entry.architecture;
    });
    if (duplicate) {
      continue;  // the same package from a second source: the first wins, as in apt
    }
    const auto position = std::find_if(versions.begin(), versions.end(), [&](std::size_t j) {
      return compare_versions(state.entries[j].version, entry.version) < 0;
    });
    versions.insert(position, i);
    if (!entry.provides.empty()) {
      for (const auto& group : parse_relations(entry.provides, std::string(entry.name))) {
        for (const auto& provided : group) {
          state.provided[provided.name].emplace_back(i, provided.version);
        }
      }
    }
  }
}

const std::vector<const Package*>& PackageIndex::versions(std::string_view name) const {
  auto& state = *state_;
  const std::string key(name);
  if (const auto found = state.versions.find(key); found != state.versions.end()) {
    return found->second;
  }
  std::vector<const Package*> packages;
  if (const auto found = state.by_name.find(name); found != state.by_name.end()) {
    for (const std::size_t index : found->second) {
      packages.push_back(state.package(index));
    }
  }
  return state.versions.emplace(key, std::move(packages)).first->second;
}

const std::vector<Provider>& PackageIndex::providers(std::string_view name) const {
  auto& state = *state_;
  const std::string key(name);
  if (const auto found = state.providers.find(key); found != state.providers.end()) {
    return found->second;
  }
  std::vector<Provider> providers;
  if (const auto found = state.provided.find(key); found != state.provided.end()) {
    for (const auto& [index, version] : found->second) {
      providers.push_back({state.package(index), version});
    }
  }
  return state.providers.emplace(key, std::move(providers)).first->second;
}

std::string Package::url() const { return std::string(repository) + "/" + std::string(filename); }

std::string Package::id() const { return std::string(name) + "=" + std::string(version); }

}  // namespace gantry::deb
