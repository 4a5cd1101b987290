#include "gantry/deb/package_index.hpp"

#include <algorithm>
#include <charconv>

#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/relation.hpp"
#include "gantry/deb/version.hpp"

namespace gantry::deb {
namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string Package::url() const { return std::string(repository) + "/" + std::string(filename); }

std::string Package::id() const { return std::string(name) + "=" + std::string(version); }

void PackageIndex::add(std::string text, std::string repository, const std::string& origin) {
  const std::string_view owned = texts_.emplace_back(std::move(text));
  by_name_.reserve(by_name_.size() + owned.size() / 1500);  // about one package per 1.5 KB
  const std::string_view repository_view = texts_.emplace_back(std::move(repository));
  for_each_paragraph(owned, origin, [&](const Paragraph& paragraph) {
    Package package;
    std::string_view size;
    std::string_view essential;
    // One pass over the fields: this runs for every package of every index.
    for (const auto& field : paragraph.fields()) {
      const auto value = trimmed(field.value);
      const auto is = [&](std::string_view name) { return field_name_equal(field.name, name); };
      switch (field.name.size()) {
        case 4:
          if (is("Size")) size = value;
          break;
        case 6:
          if (is("SHA256")) package.sha256 = value;
          break;
        case 7:
          if (is("Package"))
            package.name = value;
          else if (is("Version"))
            package.version = value;
          else if (is("Depends"))
            package.depends = value;
          break;
        case 8:
          if (is("Filename"))
            package.filename = value;
          else if (is("Priority"))
            package.priority = value;
          else if (is("Provides"))
            package.provides = value;
          break;
        case 9:
          if (is("Essential")) essential = value;
          break;
        case 10:
          if (is("Multi-Arch")) package.multi_arch = value;
          break;
        case 11:
          if (is("Pre-Depends")) package.pre_depends = value;
          break;
        case 12:
          if (is("Architecture")) package.architecture = value;
          break;
        default:
          break;
      }
    }
    if (package.architecture != architecture_ && package.architecture != "all") {
      return;
    }
    if (package.name.empty() || package.version.empty() || package.filename.empty()) {
      throw DebError(origin + ":" + std::to_string(paragraph.line()) +
                         ": a package without Package, Version or Filename",
                     "The repository's Packages index is broken; regenerate it "
                     "(dpkg-scanpackages).");
    }
    if (package.sha256.size() != 64) {
      throw DebError(origin + ":" + std::to_string(paragraph.line()) + ": " +
                         std::string(package.name) + " has no SHA256",
                     "Regenerate the index with a tool that writes SHA256 (dpkg-scanpackages "
                     "does).");
    }
    auto& versions = by_name_[package.name];
    const bool duplicate = std::any_of(versions.begin(), versions.end(), [&](const Package* p) {
      return p->version == package.version && p->architecture == package.architecture;
    });
    if (duplicate) {
      return;  // the same package from a second source: the first wins, as in apt
    }
    package.essential = essential == "yes";
    std::from_chars(size.data(), size.data() + size.size(), package.size);
    package.stanza = paragraph.text();
    package.repository = repository_view;
    const Package* stored = &packages_.emplace_back(package);
    const auto position = std::find_if(versions.begin(), versions.end(), [&](const Package* p) {
      return compare_versions(p->version, stored->version) < 0;
    });
    versions.insert(position, stored);
    if (!stored->provides.empty()) {
      for (const auto& group : parse_relations(stored->provides, origin)) {
        for (const auto& provided : group) {
          provided_[provided.name].push_back({stored, provided.version});
        }
      }
    }
  });
}

const std::vector<const Package*>& PackageIndex::versions(std::string_view name) const {
  static const std::vector<const Package*> kNone;
  const auto found = by_name_.find(name);
  return found == by_name_.end() ? kNone : found->second;
}

const std::vector<Provider>& PackageIndex::providers(std::string_view name) const {
  static const std::vector<Provider> kNone;
  const auto found = provided_.find(std::string(name));
  return found == provided_.end() ? kNone : found->second;
}

}  // namespace gantry::deb
