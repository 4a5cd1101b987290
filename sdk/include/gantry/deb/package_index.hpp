#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/deb/control_file.hpp"

namespace gantry::deb {

/// One binary package as an index lists it. Views into the index's text, which the
/// PackageIndex owns.
struct Package {
  std::string_view name;
  std::string_view version;
  std::string_view architecture;
  std::string_view multi_arch;  ///< "same", "foreign", "allowed", or ""
  std::string_view depends;
  std::string_view pre_depends;
  std::string_view provides;
  std::string_view filename;  ///< relative to the repository URI
  std::string_view sha256;
  std::string_view priority;
  bool essential = false;
  std::uint64_t size = 0;
  std::string_view stanza;      ///< the whole paragraph, for dpkg status records
  std::string_view repository;  ///< the repository URI (no final '/')

  /// Where to download the .deb.
  [[nodiscard]] std::string url() const;
  /// "name=version".
  [[nodiscard]] std::string id() const;
};

/// A package that provides a virtual name, with the version it provides, if any.
struct Provider {
  const Package* package = nullptr;
  std::string version;  ///< "" for an unversioned Provides
};

/// Every package of the wanted architecture (and Architecture: all) from a set of
/// Packages files. Lookups by name give every version, highest first.
///
/// Like apt's binary cache, the index keeps a compact table per Packages file (name,
/// version, architecture, Provides, and where the stanza is) and parses a package's
/// stanza only when a lookup reaches it, so that loading tens of thousands of packages
/// costs little more than reading a table. Lookups fill caches: not for concurrent use.
class PackageIndex {
 public:
  explicit PackageIndex(std::string architecture);
  ~PackageIndex();
  PackageIndex(PackageIndex&&) noexcept;
  PackageIndex& operator=(PackageIndex&&) = delete;
  PackageIndex(const PackageIndex&) = delete;
  PackageIndex& operator=(const PackageIndex&) = delete;

  /// Adds the packages of a Packages file's text. `repository` is the URI its Filename
  /// fields are relative to; `origin` names it in errors.
  void add(std::string text, std::string repository, const std::string& origin);
  /// The same for a Packages file on disk, mapped rather than read; its table is kept in
  /// `file`.table, made on first use (the file is never changed once cached).
  void add_file(const std::filesystem::path& file, std::string repository,
                const std::string& origin);

  [[nodiscard]] const std::vector<const Package*>& versions(std::string_view name) const;
  [[nodiscard]] const std::vector<Provider>& providers(std::string_view name) const;
  [[nodiscard]] const std::string& architecture() const { return architecture_; }
  /// How many packages of the architecture (and "all") the index holds.
  [[nodiscard]] std::size_t size() const;

 private:
  struct State;
  void index_entries(std::size_t first);
  std::string architecture_;
  std::unique_ptr<State> state_;
};

/// The table PackageIndex keeps for a Packages file's text (exposed for tests).
[[nodiscard]] std::string package_table(std::string_view packages_text, const std::string& origin);

}  // namespace gantry::deb
