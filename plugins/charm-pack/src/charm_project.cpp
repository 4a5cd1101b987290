// charmcraft.yaml's model (charmcraft/models/project.py, config.py, actions.py and
// craft-parts' part keys) with charmcraft's validation messages.
#include "charm_project.hpp"

#include <algorithm>
#include <utility>

#include "build_plan.hpp"
#include "extensions.hpp"
#include "gantry/sdk/project_name.hpp"
#include "gantry/yaml/scalar.hpp"
#include "project_files.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;
using yaml::Entry;
using yaml::Field;
using yaml::Model;
using yaml::Reader;

constexpr std::string_view kTopLevel[] = {
    "type",       "name",           "title",       "summary",    "description", "base",
    "build-base", "platforms",      "bases",       "parts",      "config",      "actions",
    "requires",   "provides",       "peers",       "containers", "resources",   "storage",
    "assumes",    "links",          "charm-libs",  "extensions", "analysis",    "charmhub",
    "devices",    "extra-bindings", "subordinate", "terms",      "charm-user"};

constexpr std::string_view kPartKeys[] = {"plugin",
                                          "source",
                                          "source-type",
                                          "source-subdir",
                                          "after",
                                          "build-snaps",
                                          "build-packages",
                                          "build-environment",
                                          "override-pull",
                                          "override-build",
                                          "override-stage",
                                          "override-prime",
                                          "stage",
                                          "prime",
                                          "organize",
                                          "stage-packages",
                                          "charm-requirements",
                                          "charm-python-packages",
                                          "charm-binary-python-packages",
                                          "charm-entrypoint",
                                          "charm-strict-dependencies",
                                          "reactive-charm-build-arguments"};

constexpr std::string_view kOptionTypes[] = {"string", "int", "float", "boolean", "secret"};

YAML::Node key_of(const YAML::Node& map, const std::string& key) {
  for (const auto& item : map) {
    if (item.first.Scalar() == key) {
      return item.first;
    }
  }
  return YAML::Node();
}

Field top(const YAML::Node& doc, const std::string& key) {
  return {key_of(doc, key), doc[key], key};
}

// charmcraft checks these with regular expressions; std::regex backtracks and recurses per
// character (its name pattern took seconds on a 70-character name, found by the
// charmcraft_yaml fuzzer: sdk::valid_project_name now). The same rules, by hand.

bool lowercase_letter(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

/// One or more characters, each of them allowed.
template <typename Allowed>
bool made_of(std::string_view text, Allowed allowed) {
  return !text.empty() && std::all_of(text.begin(), text.end(), allowed);
}

/// [0-9]+(\.[0-9]+)?
bool valid_api_version(std::string_view version) {
  const auto dot = version.find('.');
  return made_of(version.substr(0, dot), digit) &&
         (dot == std::string_view::npos || made_of(version.substr(dot + 1), digit));
}

class Validator {
 public:
  Validator(const ProjectFiles& files, CharmProject& project) : files_(files), project_(project) {}

  void run() {
    const YAML::Node& doc = files_.document;
    for (const auto& item : doc) {
      const std::string name = item.first.Scalar();
      if (std::find(std::begin(kTopLevel), std::end(kTopLevel), name) == std::end(kTopLevel)) {
        files_.reader(name).extra_field({name, top(doc, name)}, "");
      }
    }
    check_type(doc);
    project_.name = required_string(doc, "name");
    if (!sdk::valid_project_name(project_.name)) {
      files_.reader("name").invalid(
          top(doc, "name"),
          "Invalid name: Names can only use ASCII lowercase letters, numbers, and hyphens. They "
          "must have at least one letter, may not start or end with a hyphen, and may not have "
          "two hyphens in a row.");
    }
    const std::string summary = required_string(doc, "summary");
    if (summary.size() > 200) {
      files_.reader("summary").invalid(top(doc, "summary"),
                                       "String should have at most 200 characters");
    }
    (void)required_string(doc, "description");
    if (doc["title"]) {
      (void)files_.reader("title").string(top(doc, "title"));
    }
    parts(doc);
    options(doc);
    mapping_of_mappings(doc, "actions");
    for (const char* key : {"requires", "provides", "peers"}) {
      relations(doc, key);
    }
    resources(doc);
    containers(doc);
    mapping_of_mappings(doc, "storage");
    if (doc["assumes"]) {
      const Field field = top(doc, "assumes");
      if (!field.value.IsSequence()) {
        files_.reader("assumes").invalid(field, "Input should be a valid list");
      }
    }
    if (doc["links"]) {
      (void)files_.reader("links").model(
          top(doc, "links"), std::array<std::string_view, 5>{"contact", "documentation", "issues",
                                                             "source", "website"});
    }
    charm_libs(doc);
    project_.targets = build_plan(files_);
  }

 private:
  void check_type(const YAML::Node& doc) {
    const Reader& reader = files_.reader("type");
    if (!doc["type"]) {
      reader.missing_field({YAML::Node(), doc, ""}, "type");
    }
    const Field field = top(doc, "type");
    static constexpr std::string_view kTypes[] = {"charm", "bundle"};
    const std::string type = reader.choice(field, kTypes);
    if (type == "bundle") {
      reader.fail(reader.at(field), "gantry charm-pack packs charms, not bundles",
                  "Pack bundles with charmcraft, or set `type: charm`.");
    }
  }

  std::string required_string(const YAML::Node& doc, const std::string& key) {
    const Reader& reader = files_.reader(key);
    if (!doc[key] || doc[key].IsNull()) {
      reader.missing_field({YAML::Node(), doc, ""}, key);
    }
    return reader.string(top(doc, key));
  }

  void parts(const YAML::Node& doc) {
    if (!doc["parts"]) {
      // charmcraft's default: a charm part with the charm plugin over the project.
      project_.charm_parts.push_back(default_charm_part("charm", nullptr, files_.reader()));
      return;
    }
    const Reader& reader = files_.reader("parts");
    for (const auto& entry : reader.entries(top(doc, "parts"))) {
      const Model part = reader.model(entry.field, kPartKeys);
      const Field* plugin_field = part.given("plugin");
      const std::string plugin = plugin_field != nullptr ? reader.string(*plugin_field) : "";
      if (plugin == "charm") {
        project_.charm_parts.push_back(default_charm_part(entry.name, &part, reader));
      } else if (plugin == "reactive") {
        reader.fail(reader.at(*plugin_field),
                    "part " + yaml::py_repr(entry.name) +
                        " uses the 'reactive' plugin, which gantry charm-pack does not build",
                    "Reactive charms need charm-tools' `charm build`: pack them with "
                    "charmcraft, or port the charm to the ops framework (plugin: charm).");
      } else if (plugin == "dump" || plugin == "nil") {
        if (plugin == "dump" && part.given("source") == nullptr) {
          reader.missing_field(entry.field, "source");
        }
        if (const Field* source = part.given("source")) {
          project_.dump_sources.emplace_back(reader.string(*source));
        }
      } else if (plugin.empty()) {
        reader.missing_field(entry.field, "plugin");
      } else {
        reader.fail(reader.at(*plugin_field),
                    "part " + yaml::py_repr(entry.name) + " uses the " + yaml::py_repr(plugin) +
                        " plugin, which gantry charm-pack does not build",
                    "Use the charm plugin (with charm-requirements), dump or nil.");
      }
    }
  }

  CharmPart default_charm_part(const std::string& name, const Model* part, const Reader& reader) {
    CharmPart out;
    out.name = name;
    const auto list = [&](const char* key) {
      const Field* field = part != nullptr ? part->given(key) : nullptr;
      return field != nullptr ? reader.strings(*field) : std::vector<std::string>{};
    };
    const Field* requirements = part != nullptr ? part->given("charm-requirements") : nullptr;
    if (requirements != nullptr) {
      for (const auto& file : reader.strings(*requirements)) {
        out.requirements.emplace_back(file);
      }
      for (std::size_t i = 0; i < out.requirements.size(); ++i) {
        if (!fs::exists(project_.dir / out.requirements[i])) {
          reader.invalid(
              reader.item(*requirements, i),
              "requirements file " + yaml::py_repr(out.requirements[i].string()) + " not found",
              "Create it, or remove it from charm-requirements.");
        }
      }
    } else if (fs::exists(project_.dir / "requirements.txt")) {
      out.requirements.emplace_back("requirements.txt");  // the plugin's default
    }
    out.python_packages = list("charm-python-packages");
    out.binary_python_packages = list("charm-binary-python-packages");
    if (const Field* entry = part != nullptr ? part->given("charm-entrypoint") : nullptr) {
      out.entrypoint = reader.string(*entry);
      const fs::path path = fs::path(out.entrypoint).lexically_normal();
      if (path.is_absolute() || path.string().starts_with("..")) {
        reader.invalid(*entry, "charm entry point must be relative to the project");
      }
      if (!fs::is_regular_file(project_.dir / path)) {
        reader.invalid(
            *entry,
            "charm entry point was not found: " + yaml::py_repr((project_.dir / path).string()),
            "Create " + out.entrypoint +
                " or point charm-entrypoint at the charm's "
                "main file (default src/charm.py).");
      }
      out.entrypoint = path.string();
    }
    if (const Field* strict =
            part != nullptr ? part->given("charm-strict-dependencies") : nullptr) {
      out.strict_dependencies = reader.boolean(*strict);
    }
    return out;
  }

  void options(const YAML::Node& doc) {
    if (!doc["config"]) {
      return;
    }
    const Reader& reader = files_.reader("config");
    static constexpr std::string_view kConfigKeys[] = {"options"};
    const Model config = reader.model(top(doc, "config"), kConfigKeys);
    const Field* options = config.given("options");
    if (options == nullptr) {
      return;
    }
    for (const auto& entry : reader.entries(*options)) {
      ConfigOption option;
      option.name = entry.name;
      option.position = reader.key_at(entry.field);
      if (!entry.field.value.IsMap()) {
        reader.invalid(entry.field,
                       "Input should be a valid dictionary or object to extract "
                       "fields from");
      }
      const Field* type = nullptr;
      const auto items = reader.entries(entry.field);
      for (const auto& item : items) {
        if (item.name == "type") {
          type = &item.field;
        }
      }
      if (type == nullptr) {
        reader.invalid(entry.field, "Unable to extract tag using discriminator 'type'",
                       "Give the option a type: string, int, float, boolean or secret.");
      }
      if (!type->value.IsScalar() || std::find(std::begin(kOptionTypes), std::end(kOptionTypes),
                                               type->value.Scalar()) == std::end(kOptionTypes)) {
        reader.invalid(*type,
                       "Input tag " +
                           yaml::py_repr(type->value.IsScalar() ? type->value.Scalar() : "") +
                           " found using 'type' does not match any of the expected tags: "
                           "'string', 'int', 'float', 'boolean', 'secret'",
                       "Use one of the types Juju knows: string, int, float, boolean, secret.");
      }
      option.type = type->value.Scalar();
      for (const auto& item : items) {
        // pydantic names a tagged union member by its tag: config.options.NAME.int.default
        Field field = item.field;
        field.path = entry.field.path + "." + option.type + "." + item.name;
        if (item.name == "default") {
          check_default(reader, field, option.type);
          option.default_value = item.field.value;
        } else if (item.name == "description") {
          (void)reader.string(field);
        } else if (item.name == "optional") {
          option.optional = reader.boolean(field);
        } else if (item.name != "type") {
          reader.extra_field({item.name, field}, entry.field.path + "." + option.type);
        }
      }
      project_.options.push_back(std::move(option));
    }
  }

  static void check_default(const Reader& reader, const Field& field, const std::string& type) {
    if (!field.value.IsDefined() || field.value.IsNull()) {
      return;
    }
    if (type == "int") {
      (void)reader.integer(field);
    } else if (type == "float") {
      (void)reader.number(field);
    } else if (type == "boolean") {
      (void)reader.boolean(field);
    } else if (type == "string") {
      (void)reader.strict_string(field);
    } else if (type == "secret") {
      reader.invalid(field, "Secret options cannot have a default value",
                     "Remove the default: a secret option holds a secret ID users grant.");
    }
  }

  void mapping_of_mappings(const YAML::Node& doc, const char* key) {
    if (!doc[key]) {
      return;
    }
    const Reader& reader = files_.reader(key);
    for (const auto& entry : reader.entries(top(doc, key))) {
      if (!entry.field.value.IsNull() && !entry.field.value.IsMap()) {
        reader.invalid(entry.field, "Input should be a valid dictionary");
      }
    }
  }

  void relations(const YAML::Node& doc, const char* key) {
    if (!doc[key]) {
      return;
    }
    const Reader& reader = files_.reader(key);
    static constexpr std::string_view kKeys[] = {"interface", "limit", "optional", "scope",
                                                 "description"};
    for (const auto& entry : reader.entries(top(doc, key))) {
      if (entry.name == "juju" || entry.name.starts_with("juju-")) {
        reader.fail(reader.key_at(entry.field),
                    "relation name " + yaml::py_repr(entry.name) + " is reserved by Juju",
                    "Rename the endpoint.");
      }
      const Model relation = reader.model(entry.field, kKeys);
      (void)reader.string(reader.require(relation, entry.field, "interface"));
      if (const Field* limit = relation.given("limit")) {
        (void)reader.integer(*limit);
      }
      if (const Field* optional = relation.given("optional")) {
        (void)reader.boolean(*optional);
      }
      if (const Field* scope = relation.given("scope")) {
        static constexpr std::string_view kScopes[] = {"global", "container"};
        (void)reader.choice(*scope, kScopes);
      }
    }
  }

  void resources(const YAML::Node& doc) {
    if (!doc["resources"]) {
      return;
    }
    const Reader& reader = files_.reader("resources");
    static constexpr std::string_view kKeys[] = {"type", "description", "filename",
                                                 "upstream-source"};
    for (const auto& entry : reader.entries(top(doc, "resources"))) {
      const Model resource = reader.model(entry.field, kKeys);
      static constexpr std::string_view kTypes[] = {"file", "oci-image"};
      const std::string type = reader.choice(reader.require(resource, entry.field, "type"), kTypes);
      if (type == "oci-image") {
        project_.oci_resources.push_back(entry.name);
      } else if (resource.given("filename") == nullptr) {
        reader.missing_field(entry.field, "filename");
      }
    }
  }

  void containers(const YAML::Node& doc) {
    if (!doc["containers"]) {
      return;
    }
    const Reader& reader = files_.reader("containers");
    static constexpr std::string_view kKeys[] = {"resource", "bases", "mounts", "uid", "gid"};
    for (const auto& entry : reader.entries(top(doc, "containers"))) {
      const Model container = reader.model(entry.field, kKeys);
      if (const Field* resource = container.given("resource")) {
        const std::string name = reader.string(*resource);
        if (std::find(project_.oci_resources.begin(), project_.oci_resources.end(), name) ==
            project_.oci_resources.end()) {
          reader.invalid(*resource,
                         "container " + yaml::py_repr(entry.name) + " names the resource " +
                             yaml::py_repr(name) + ", which is not an oci-image resource",
                         "Declare it under resources with `type: oci-image` (Juju refuses the "
                         "charm otherwise).");
        }
      } else if (container.given("bases") == nullptr) {
        reader.fail(reader.key_at(entry.field),
                    "container " + yaml::py_repr(entry.name) + " needs 'resource' or 'bases'",
                    "Give it `resource:` naming an oci-image resource.");
      }
    }
  }

  void charm_libs(const YAML::Node& doc) {
    if (!doc["charm-libs"]) {
      return;
    }
    const Reader& reader = files_.reader("charm-libs");
    const Field libs = top(doc, "charm-libs");
    if (!libs.value.IsSequence()) {
      reader.invalid(libs, "Input should be a valid list");
    }
    for (std::size_t i = 0; i < libs.value.size(); ++i) {
      const Field item = reader.item(libs, i);
      static constexpr std::string_view kKeys[] = {"lib", "version"};
      const Model model = reader.model(item, kKeys);
      const Field& lib_field = reader.require(model, item, "lib");
      const Field& version_field = reader.require(model, item, "version");
      const std::string lib = reader.string(lib_field);
      const auto dot = lib.find('.');
      std::string charm = dot == std::string::npos ? "" : lib.substr(0, dot);
      const std::string name = dot == std::string::npos ? "" : lib.substr(dot + 1);
      if (charm.empty() || name.empty()) {
        reader.invalid(lib_field, "Library name invalid. Expected '[charm_name].[lib_name]', got " +
                                      yaml::py_repr(lib));
      }
      if (!made_of(charm, [](char c) {
            return lowercase_letter(c) || digit(c) || c == '_' || c == '-';
          })) {
        reader.invalid(lib_field, "Invalid charm name for lib " + yaml::py_repr(lib) + ". Value " +
                                      yaml::py_repr(charm) + " is invalid.");
      }
      if (!made_of(name, [](char c) { return lowercase_letter(c) || digit(c) || c == '_'; })) {
        reader.invalid(lib_field, "Library name " + yaml::py_repr(name) +
                                      " is invalid. Library names must be valid Python module "
                                      "names.");
      }
      const std::string version = reader.string(version_field);
      if (!valid_api_version(version)) {
        reader.invalid(version_field, "API version not valid. Expected an integer, got " +
                                          yaml::py_repr(version.substr(0, version.find('.'))));
      }
      std::replace(charm.begin(), charm.end(), '-', '_');
      project_.charm_libs.push_back({charm, name, version});
    }
  }

  const ProjectFiles& files_;
  CharmProject& project_;
};

}  // namespace

fs::path CharmLib::path() const {
  const std::string api = version.substr(0, version.find('.'));
  return fs::path("lib") / "charms" / charm / ("v" + api) / (library + ".py");
}

CharmProject load_charm_project(const fs::path& dir, const Warn& warn) {
  ProjectFiles files = read_project_files(dir, warn);
  CharmProject project;
  project.dir = dir;
  project.split_files = files.split_files;
  project.framework = apply_extensions(files.document, files.reader("extensions"), dir);
  Validator(files, project).run();
  project.document = files.document;
  return project;
}

}  // namespace gantry::charm_pack
