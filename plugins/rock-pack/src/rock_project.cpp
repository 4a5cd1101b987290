// rockcraft.yaml's top level and metadata as rockcraft reads them (canonical/rockcraft
// rockcraft/models/project.py; canonical/craft-application models/project.py and
// constraints.py). The rest of the model has files of its own: yaml_reader (typed access and
// pydantic's messages as craft-application prints them), platforms, part_spec_parser,
// package_repositories, pebble_schema, entrypoint (with parse_command) and spdx_licenses.
#include "rock_project.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>

#include "entrypoint.hpp"
#include "extensions/apply_extensions.hpp"
#include "gantry/sdk/project_name.hpp"
#include "gantry/yaml/document.hpp"
#include "package_repositories.hpp"
#include "part_spec_parser.hpp"
#include "pebble_schema.hpp"
#include "platforms.hpp"
#include "spdx_licenses.hpp"
#include "yaml_reader.hpp"

namespace gantry::rock_pack {
namespace detail {
namespace {

constexpr std::array<std::string_view, 7> kBases{"bare",         "ubuntu@20.04", "ubuntu@22.04",
                                                 "ubuntu@24.04", "ubuntu@25.10", "ubuntu@26.04",
                                                 "ubuntu@26.10"};
constexpr std::array<std::string_view, 6> kBuildBases{
    "ubuntu@20.04", "ubuntu@22.04", "ubuntu@24.04", "ubuntu@25.10", "ubuntu@26.04", "devel"};
// The base that the `devel` build base currently stands for (RC _get_devel_bases).
constexpr std::string_view kDevelBase = "ubuntu@26.10";
constexpr std::array<std::string_view, 6> kExtensions{"django-framework",  "expressjs-framework",
                                                      "fastapi-framework", "flask-framework",
                                                      "go-framework",      "spring-boot-framework"};

constexpr std::array<std::string_view, 22> kTopLevelKeys{"name",
                                                         "title",
                                                         "summary",
                                                         "description",
                                                         "version",
                                                         "adopt-info",
                                                         "license",
                                                         "base",
                                                         "build-base",
                                                         "platforms",
                                                         "environment",
                                                         "run-user",
                                                         "services",
                                                         "checks",
                                                         "entrypoint-service",
                                                         "entrypoint-command",
                                                         "package-repositories",
                                                         "extensions",
                                                         "parts",
                                                         "contact",
                                                         "issues",
                                                         "source-code"};

constexpr std::string_view kDevelBaseWarning =
    "The development build-base should only be used for testing purposes, as its contents are "
    "bound to change with the opening of new Ubuntu releases, suddenly and without warning.";

// ---- Values with rules of their own ----------------------------------------------------

/// CA constraints.py _VERSION_STR_REGEX: ^[a-zA-Z0-9](?:[a-zA-Z0-9:.+~-]*[a-zA-Z0-9+~])?$
bool valid_version(std::string_view version) {
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (version.empty() || !alnum(version.front())) {
    return false;
  }
  for (const char c : version) {
    if (!alnum(c) && std::string_view(":.+~-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  const char last = version.back();
  return alnum(last) || last == '+' || last == '~';
}

// ---- The project -----------------------------------------------------------------------
class ProjectParser {
 public:
  ProjectParser(const std::filesystem::path& file,
                const std::function<void(const std::string&)>& warn)
      : reader_(file, warn) {
    project_.file = file;
  }

  RockProject parse(const YAML::Node& root) {
    const Field top{YAML::Node(), root, ""};
    if (!root.IsMap()) {
      SourcePosition where = reader_.at(root);
      where.line = std::max<std::uint32_t>(where.line, 1);
      where.column = std::max<std::uint32_t>(where.column, 1);
      reader_.fail(where, "Project data is not a dictionary",
                   "rockcraft.yaml holds a mapping of keys: name, base, platforms, parts, ...");
    }
    reader_.check_duplicate_keys(root);
    const Model as_written = top_level_model(top);
    if (const Field* field = as_written.given("extensions")) {
      parse_extensions(*field);
      std::vector<ExtensionUse> uses;
      for (std::size_t i = 0; i < project_.extensions.size(); ++i) {
        uses.push_back({project_.extensions[i], reader_.at(reader_.item(*field, i))});
      }
      YAML::Node document = root;
      apply_extensions(document, uses, {project_.file.parent_path(), {}},
                       [this](const std::string& message) { reader_.warn(message); });
    }
    project_.document = root;
    const Model top_level = top_level_model(top);
    parse_name(reader_.require(top_level, top, "name"));
    project_.title = project_.name;
    if (const Field* field = top_level.given("title")) {
      parse_title(*field);
    }
    if (const Field* field = top_level.given("version")) {
      parse_version(*field);
    }
    project_.summary = reader_.string(reader_.require(top_level, top, "summary"));
    project_.description = reader_.string(reader_.require(top_level, top, "description"));
    parse_bases(reader_.require(top_level, top, "base"), top_level.get("build-base"));
    project_.platforms = parse_platforms(reader_, reader_.require(top_level, top, "platforms"));
    if (const Field* field = top_level.given("contact")) {
      project_.contact = string_or_unique_list(*field);
    }
    if (const Field* field = top_level.given("issues")) {
      project_.issues = string_or_unique_list(*field);
    }
    if (const Field* field = top_level.given("source-code")) {
      project_.source_code = reader_.string(*field);
      if (const auto problem = url_problem(project_.source_code, {}); !problem.empty()) {
        reader_.invalid(*field, problem, "Give the URL of the project's source code.");
      }
    }
    if (const Field* field = top_level.given("license")) {
      parse_license(*field);
    }
    if (const Field* field = top_level.given("adopt-info")) {
      project_.adopt_info = reader_.string(*field);
    }
    project_.parts =
        parse_part_specs(reader_, reader_.require(top_level, top, "parts"), project_.base);
    if (const Field* field = top_level.given("package-repositories")) {
      check_package_repositories(reader_, *field);
      project_.package_repositories = field->value;
    }
    if (const Field* field = top_level.given("environment")) {
      parse_environment(*field);
    }
    if (const Field* field = top_level.given("run-user")) {
      project_.run_user = reader_.choice(*field, std::array<std::string_view, 1>{"_daemon_"});
    }
    if (const Field* field = top_level.given("services")) {
      check_pebble_services(reader_, *field);
      project_.services = field->value;
    }
    if (const Field* field = top_level.given("checks")) {
      check_pebble_checks(reader_, *field);
      project_.checks = field->value;
    }
    if (const Field* field = top_level.given("entrypoint-service")) {
      project_.entrypoint_service = parse_entrypoint_service(reader_, *field, project_.services);
    }
    if (const Field* field = top_level.given("entrypoint-command")) {
      project_.entrypoint_command =
          parse_entrypoint_command(reader_, *field, project_.entrypoint_service);
    }
    check_adopted_fields(top, top_level);
    return std::move(project_);
  }

 private:
  /// The top-level keys, with `run_user` read as `run-user` (the model populates by name).
  Model top_level_model(const Field& top) {
    std::vector<Entry> all = reader_.entries(top);
    for (const auto& entry : all) {
      if (entry.name == "entrypoint" || entry.name == "cmd" || entry.name == "env") {
        reader_.fail(reader_.key_at(entry.field),
                     lower_first("The fields 'entrypoint', 'cmd' and 'env' are not supported in "
                                 "Rockcraft. All rocks have Pebble as their entrypoint, so you "
                                 "must use 'services' to define your container application and "
                                 "respective environment."),
                     "Define the application as a Pebble service under 'services' (or use "
                     "'entrypoint-command'), and its variables under 'environment'.");
      }
    }
    std::map<std::string, SourcePosition> seen;
    for (auto& entry : all) {
      std::string name = entry.name;
      std::replace(name.begin(), name.end(), '_', '-');
      if (contains(kTopLevelKeys, name)) {
        entry.name = name;
        entry.field.path = name;
      }
      if (!contains(kTopLevelKeys, entry.name)) {
        reader_.extra_field(entry, "");
      }
      const auto [first, inserted] = seen.emplace(entry.name, reader_.key_at(entry.field));
      if (!inserted) {
        reader_.fail(reader_.key_at(entry.field),
                     "found duplicate key " + py_repr(entry.name) + " (also given at " +
                         first->second.to_string() + ")",
                     "Keep one of them: '_' and '-' spell the same key.");
      }
    }
    return Model(std::move(all));
  }

  void parse_extensions(const Field& field) {
    project_.extensions = reader_.strings(field);
    for (std::size_t i = 0; i < project_.extensions.size(); ++i) {
      if (!contains(kExtensions, project_.extensions[i])) {
        reader_.fail(reader_.at(reader_.item(field, i)),
                     "Extension " + py_repr(project_.extensions[i]) + " does not exist",
                     "Use one of: " + joined(kExtensions, ", ") + ".");
      }
    }
  }

  void parse_name(const Field& field) {
    project_.name = reader_.strict_string(field);
    if (!sdk::valid_project_name(project_.name)) {
      reader_.invalid(field,
                      "invalid name: Names can only use ASCII lowercase letters, numbers, and "
                      "hyphens. They must have at least one letter, may not start or end with a "
                      "hyphen, and may not have two hyphens in a row.",
                      "Rename the rock, e.g. 'my-app'.");
    }
    if (project_.name.size() > 40) {
      reader_.invalid(field, "String should have at most 40 characters",
                      "Shorten the name to 40 characters or fewer.");
    }
  }

  void parse_title(const Field& field) {
    const std::string title = reader_.string(field);
    if (title.empty()) {
      return;  // rockcraft's _validate_title: an empty title is the name
    }
    if (title.size() < 2) {
      reader_.invalid(field, "String should have at least 2 characters");
    }
    if (title.size() > 40) {
      reader_.invalid(field, "String should have at most 40 characters");
    }
    project_.title = title;
  }

  void parse_version(const Field& field) {
    // Numbers are coerced to strings; gantry keeps their text as written (1.10 stays 1.10).
    project_.version = reader_.string(field);
    if (!valid_version(project_.version)) {
      reader_.invalid(field,
                      "invalid version: Valid versions consist of upper- and lower-case "
                      "alphanumeric characters, as well as periods, colons, plus signs, tildes, "
                      "and hyphens. They cannot begin with a period, colon, plus sign, tilde, or "
                      "hyphen. They cannot end with a period, colon, or hyphen.",
                      "Quote the version and use only the characters listed, e.g. \"1.0.2\".");
    }
    if (project_.version.size() > 32) {
      reader_.invalid(field, "String should have at most 32 characters",
                      "Shorten the version to 32 characters or fewer.");
    }
  }

  /// `ubuntu:22.04` is read as `ubuntu@22.04`, with rockcraft's warning.
  std::string undeprecated_base(const Field& field, std::string_view key) {
    std::string value = reader_.string(field);
    if (value == "ubuntu:20.04" || value == "ubuntu:22.04") {
      value[value.find(':')] = '@';
      reader_.warn("Warning: use of \":\" in field \"" + std::string(key) +
                   "\" is deprecated. Prefer \"" + value + "\" instead.");
    }
    return value;
  }

  void parse_bases(const Field& base, const Field* build_base) {
    project_.base = undeprecated_base(base, "base");
    if (!contains(kBases, project_.base)) {
      reader_.invalid(base, "Input should be " + choices(kBases),
                      "Use 'bare' or an Ubuntu release such as 'ubuntu@24.04'.");
    }
    const bool given = build_base != nullptr && !build_base->value.IsNull();
    if (given) {
      project_.build_base = undeprecated_base(*build_base, "build-base");
    }
    if (project_.base == kDevelBase) {
      if (project_.build_base != "devel") {
        const Field& where = given ? *build_base : base;
        reader_.invalid(
            where, "A development build-base must be used when base is " + py_repr(project_.base),
            "Add 'build-base: devel'.");
      }
      reader_.warn(std::string(kDevelBaseWarning));
    }
    if (!given) {
      if (project_.base == "bare") {
        reader_.fail(reader_.key_at(base),
                     lower_first("When \"base\" is \"bare\", a build-base must be specified.") +
                         " (in field 'build-base', input: None)",
                     "Add 'build-base: ubuntu@24.04' (the system the parts are built for).");
      }
      project_.build_base = project_.base;
      return;
    }
    if (project_.build_base.empty()) {
      project_.build_base = project_.base;
    } else if (!contains(kBuildBases, project_.build_base)) {
      reader_.invalid(*build_base, "Input should be " + choices(kBuildBases),
                      "Use an Ubuntu release such as 'ubuntu@24.04', or 'devel'.");
    }
  }

  // ---- metadata ----

  std::vector<std::string> string_or_unique_list(const Field& field) {
    if (field.value.IsScalar()) {
      return {reader_.string(field)};
    }
    std::vector<std::string> values = reader_.strings(field);
    std::vector<std::string> duplicates;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::count(values.begin(), values.end(), values[i]) > 1 &&
          std::find(duplicates.begin(), duplicates.end(), values[i]) == duplicates.end()) {
        duplicates.push_back(values[i]);
      }
    }
    if (!duplicates.empty()) {
      reader_.invalid(field, "duplicate values in list: " + py_list(duplicates));
    }
    return values;
  }

  void parse_license(const Field& field) {
    const std::string license = reader_.string(field);
    if (license.empty()) {
      return;
    }
    if (license == "proprietary") {
      project_.license = license;
      return;
    }
    const auto expression = spdx_expression(license);
    if (!expression) {
      reader_.invalid(
          field,
          "License " + license + " not valid. It must be either 'proprietary' or in SPDX format.",
          "Use an SPDX identifier or expression (e.g. 'Apache-2.0', "
          "'MIT OR Apache-2.0', 'LicenseRef-Mine'), or 'proprietary'.");
    }
    project_.license = *expression;
  }

  void parse_environment(const Field& field) {
    project_.environment = reader_.string_map(field);
    std::vector<std::string> interpolated;
    for (const auto& [name, value] : project_.environment) {
      if (value.size() > 1 && value.substr(0, value.size() - 1).find('$') != std::string::npos) {
        interpolated.push_back(value);
      }
    }
    if (!interpolated.empty()) {
      std::string list;
      for (const auto& value : interpolated) {
        list += (list.empty() ? "" : " ; ") + value;
      }
      reader_.invalid(field, "String interpolation not allowed for: " + list,
                      "Write the values out in full: the OCI environment is not expanded.");
    }
  }

  void check_adopted_fields(const Field& top, const Model& top_level) {
    if (project_.adopt_info.empty()) {
      // craft-application's mandatory adoptable fields: given, or set by the adopted part.
      std::string missing;
      const std::array<std::pair<std::string_view, const std::string*>, 3> adoptable{
          {{"description", &project_.description},
           {"summary", &project_.summary},
           {"version", &project_.version}}};
      for (const auto& [name, value] : adoptable) {
        if (value->empty()) {
          missing += (missing.empty() ? "" : ", ") + py_repr(name);
        }
      }
      if (!missing.empty()) {
        reader_.fail(reader_.at(top.value),
                     "'adopt-info' not set and required fields are missing: " + missing,
                     "Add them, or 'adopt-info: PART' with a part that runs "
                     "'craftctl set version=...'.");
      }
      return;
    }
    const bool defined =
        std::any_of(project_.parts.begin(), project_.parts.end(),
                    [this](const PartSpec& part) { return part.name == project_.adopt_info; });
    if (!defined) {
      reader_.fail(
          reader_.at(*top_level.given("adopt-info")),
          "A part named " + py_repr(project_.adopt_info) + " is not defined in the parts list.",
          "Name one of the parts in 'adopt-info'.");
    }
  }

  Reader reader_;
  RockProject project_;
};

}  // namespace
}  // namespace detail

bool is_valid_version(std::string_view version) {
  return detail::valid_version(version) && version.size() <= 32;
}

RockProject parse_rock_project(const std::string& text, const std::filesystem::path& file,
                               const std::function<void(const std::string&)>& warn) {
  YAML::Node root;
  try {
    root = yaml::load_document(text);
  } catch (const YAML::Exception& error) {
    throw ConfigError(
        {file.string(), static_cast<std::uint32_t>(error.mark.line + 1),
         static_cast<std::uint32_t>(error.mark.column + 1)},
        "error parsing " + detail::py_repr(file.filename().string()) + ": " + error.msg,
        "Fix the YAML syntax.");
  }
  return detail::ProjectParser(file, warn).parse(root);
}

RockProject load_rock_project(const std::filesystem::path& file,
                              const std::function<void(const std::string&)>& warn) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error("Project file " + detail::py_repr(file.filename().string()) + " not found in " +
                    detail::py_repr(file.parent_path().string()) + ".",
                "Run gantry rock-pack in the directory that holds rockcraft.yaml, or pass "
                "--project DIR.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_rock_project(text.str(), file, warn);
}

}  // namespace gantry::rock_pack
