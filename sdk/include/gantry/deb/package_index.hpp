#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
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
class PackageIndex {
 public:
  explicit PackageIndex(std::string architecture) : architecture_(std::move(architecture)) {}

  /// Adds the packages of one Packages file. `repository` is the URI its Filename fields
  /// are relative to; `origin` names it in errors.
  void add(std::string text, std::string repository, const std::string& origin);

  [[nodiscard]] const std::vector<const Package*>& versions(std::string_view name) const;
  [[nodiscard]] const std::vector<Provider>& providers(std::string_view name) const;
  [[nodiscard]] const std::string& architecture() const { return architecture_; }
  [[nodiscard]] std::size_t size() const { return packages_.size(); }

 private:
  std::string architecture_;
  std::deque<std::string> texts_;
  std::deque<Package> packages_;
  std::unordered_map<std::string_view, std::vector<const Package*>> by_name_;
  std::unordered_map<std::string, std::vector<Provider>> provided_;
};

}  // namespace gantry::deb
