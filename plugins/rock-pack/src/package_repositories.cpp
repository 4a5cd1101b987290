// `package-repositories:` as craft-archives validates them.
#include "package_repositories.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::rock_pack::detail {
namespace {

constexpr std::array<std::string_view, 3> kPpaKeys{"type", "priority", "ppa"};
constexpr std::array<std::string_view, 4> kCloudKeys{"type", "priority", "cloud", "pocket"};
constexpr std::array<std::string_view, 10> kAptRepoKeys{
    "type",          "priority", "url",  "key-id",     "key-server",
    "architectures", "formats",  "path", "components", "suites"};

void check_apt_repository(const Reader& reader, const Field& repository, const Model& model) {
  const Field& url_field = reader.require(model, repository, "url");
  const std::string url = reader.string(url_field);
  if (const auto problem = url_problem(url, {}); !problem.empty()) {
    reader.invalid(url_field, problem);
  }
  const Field& key_id = reader.require(model, repository, "key-id");
  const std::string key = reader.string(key_id);
  if (key.size() != 40 || key.find_first_not_of("0123456789ABCDEF") != std::string::npos) {
    reader.invalid(key_id, "string does not match regex \"^[0-9A-F]{40}$\"",
                   "Give the signing key's full fingerprint: 40 upper-case hex digits.");
  }
  const std::string prefix = "Invalid package repository for " + py_repr(url) + ": ";
  const auto list = [&](std::string_view name) {
    const Field* list_field = model.given(name);
    return list_field != nullptr ? reader.strings(*list_field) : std::vector<std::string>{};
  };
  const auto suites = list("suites");
  const auto components = list("components");
  list("architectures");
  if (const Field* formats = model.given("formats")) {
    if (!formats->value.IsSequence()) {
      reader.invalid(*formats, "Input should be a valid list");
    }
    for (std::size_t i = 0; i < formats->value.size(); ++i) {
      reader.choice(reader.item(*formats, i), std::array<std::string_view, 2>{"deb", "deb-src"});
    }
  }
  const auto path = reader.optional_string(model.get("path"));
  if (path && path->empty()) {
    reader.invalid(*model.get("path"), prefix + "Invalid path; Paths must be non-empty strings.");
  }
  if (path && !components.empty()) {
    reader.invalid(*model.get("components"), prefix + "components " + py_list(components) +
                                                 " cannot be combined with path " + py_repr(*path) +
                                                 ".");
  }
  if (path && !suites.empty()) {
    reader.invalid(*model.get("suites"), prefix + "suites " + py_list(suites) +
                                             " cannot be combined with path " + py_repr(*path) +
                                             ".");
  }
  for (const auto& suite : suites) {
    if (suite.ends_with('/')) {
      reader.invalid(*model.get("suites"), prefix + "invalid suite " + py_repr(suite) +
                                               ". Suites must not end with a '/'.");
    }
  }
  if (!suites.empty() && components.empty()) {
    reader.invalid(repository, prefix + "components must be specified when using suites.");
  }
  if (!components.empty() && suites.empty()) {
    reader.invalid(repository, prefix + "suites must be specified when using components.");
  }
}

}  // namespace

void check_package_repositories(const Reader& reader, const Field& field) {
  if (!field.value.IsSequence()) {
    reader.invalid(field, "Package repositories must be a list of objects.",
                   "Write 'package-repositories' as a list of mappings.");
  }
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    const Field repository = reader.item(field, i);
    if (!repository.value.IsMap()) {
      reader.invalid(repository, "Package repository must be a valid dictionary object.");
    }
    const bool ppa = repository.value["ppa"].IsDefined();
    const bool cloud = !ppa && repository.value["cloud"].IsDefined();
    const Model model = reader.model(repository, ppa     ? Names(kPpaKeys)
                                                 : cloud ? Names(kCloudKeys)
                                                         : Names(kAptRepoKeys));
    reader.choice(reader.require(model, repository, "type"),
                  std::array<std::string_view, 1>{"apt"});
    if (const Field* priority = model.given("priority")) {
      const std::string value = reader.string(*priority);
      if (value != "always" && value != "prefer" && value != "defer" &&
          (reader.integer(*priority) == 0)) {
        reader.invalid(*priority, "invalid priority: Priority cannot be zero.");
      }
    }
    if (ppa || cloud) {
      if (reader.string(reader.require(model, repository, ppa ? "ppa" : "cloud")).empty()) {
        reader.invalid(*model.get(ppa ? "ppa" : "cloud"),
                       ppa ? "Invalid PPA: PPAs must be non-empty strings."
                           : "clouds must be non-empty strings.");
      }
      if (const Field* pocket = model.given("pocket")) {
        reader.choice(*pocket, std::array<std::string_view, 2>{"updates", "proposed"});
      }
      continue;
    }
    check_apt_repository(reader, repository, model);
  }
}

}  // namespace gantry::rock_pack::detail
