// `parts:` as craft-parts validates them, with the keys of the plugins gantry runs.
#include "part_spec_parser.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <system_error>

namespace gantry::rock_pack::detail {
namespace {

constexpr std::array<std::string_view, 5> kPlugins{"dump", "go", "make", "nil", "python"};
// craft-parts' other plugins (CP plugins/plugins.py): known, but not run by gantry.
constexpr std::array<std::string_view, 21> kOtherPlugins{
    "ant",     "autotools",  "bazel", "cargo-use", "cmake",     "dotnet", "go-use",
    "gradle",  "gradle-use", "jlink", "maven",     "maven-use", "meson",  "npm",
    "npm-use", "poetry",     "qmake", "ruby",      "rust",      "scons",  "uv"};
constexpr std::array<std::string_view, 9> kSourceTypes{"7z",  "deb", "git",   "rpm", "snap",
                                                       "tar", "zip", "local", "file"};

constexpr std::array<std::string_view, 32> kPartKeys{"plugin",
                                                     "source",
                                                     "source-checksum",
                                                     "source-channel",
                                                     "source-branch",
                                                     "source-commit",
                                                     "source-depth",
                                                     "source-subdir",
                                                     "source-submodules",
                                                     "source-tag",
                                                     "source-type",
                                                     "disable-parallel",
                                                     "after",
                                                     "overlay-packages",
                                                     "overlay-recommended-packages",
                                                     "stage-snaps",
                                                     "stage-packages",
                                                     "build-snaps",
                                                     "build-packages",
                                                     "build-environment",
                                                     "build-attributes",
                                                     "organize",
                                                     "overlay",
                                                     "stage",
                                                     "prime",
                                                     "override-pull",
                                                     "overlay-script",
                                                     "override-overlay",
                                                     "override-build",
                                                     "override-stage",
                                                     "override-prime",
                                                     "permissions"};
constexpr std::array<std::string_view, 3> kPythonKeys{"python-requirements", "python-constraints",
                                                      "python-packages"};
constexpr std::array<std::string_view, 1> kMakeKeys{"make-parameters"};
constexpr std::array<std::string_view, 2> kGoKeys{"go-buildtags", "go-generate"};
constexpr std::array<std::string_view, 4> kPermissionKeys{"path", "owner", "group", "mode"};

/// Reads the parts one by one, keeping each part's `after:` to check the names at the end.
class PartSpecParser {
 public:
  PartSpecParser(const Reader& reader, std::string_view base) : reader_(reader), base_(base) {}

  std::vector<PartSpec> parse(const Field& field) {
    std::vector<PartSpec> parts;
    for (const auto& entry : reader_.entries(field)) {
      parts.push_back(parse_part(entry));
    }
    for (const auto& part : parts) {
      if (part.after.empty()) {
        continue;
      }
      const Field& after_field = after_fields_.at(part.name);
      for (std::size_t i = 0; i < part.after.size(); ++i) {
        const bool known = std::any_of(parts.begin(), parts.end(), [&](const PartSpec& other) {
          return other.name == part.after[i];
        });
        if (!known) {
          reader_.fail(
              reader_.at(reader_.item(after_field, i)),
              "A part named " + py_repr(part.after[i]) + " is not defined in the parts list.",
              "Review the parts definition and make sure it's correct.");
        }
      }
    }
    return parts;
  }

 private:
  PartSpec parse_part(const Entry& entry) {
    PartSpec part;
    part.name = entry.name;
    part.position = reader_.key_at(entry.field);
    const Field& field = entry.field;
    // The name becomes a directory (.gantry/rock-pack/<label>/parts/<name>): '/'
    // separates an extension's parts, nothing may climb or be empty.
    bool path_safe = !part.name.empty() && !part.name.starts_with('/') && !part.name.ends_with('/');
    for (std::size_t start = 0; path_safe && start <= part.name.size();) {
      const auto end = std::min(part.name.find('/', start), part.name.size());
      const std::string_view component(part.name.data() + start, end - start);
      path_safe = !component.empty() && component != "." && component != ".." &&
                  std::all_of(component.begin(), component.end(), [](char c) {
                    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' ||
                           c == '_' || c == '.' || c == '+';
                  });
      start = end + 1;
    }
    if (!path_safe) {
      reader_.fail(part.position,
                   "invalid part name " + py_repr(part.name) +
                       ": part names use letters, digits, '-', '_', '.' and '+', with '/' only "
                       "between such words",
                   "Rename the part.");
    }
    if (part.name == "pebble") {
      reader_.fail(part.position, "Cannot change the default \"pebble\" part",
                   "Rename the part: rockcraft adds the 'pebble' part itself (gantry takes "
                   "Pebble from --pebble).");
    }
    if (part.name == "_apt-upgrade") {
      reader_.fail(part.position, "Cannot override the default \"_apt-upgrade\" part.",
                   "Rename the part.");
    }
    if (!field.value.IsMap()) {
      reader_.invalid(field, "Input should be a valid dictionary");
    }
    std::vector<Entry> all = reader_.entries(field);
    const auto plugin =
        std::find_if(all.begin(), all.end(), [](const Entry& key) { return key.name == "plugin"; });
    if (plugin == all.end() || plugin->field.value.IsNull()) {
      reader_.invalid(field, "'plugin' not defined",
                      "Add 'plugin:' with one of " + joined(kPlugins, ", ") + ".");
    } else {
      part.plugin = reader_.string(plugin->field);
      if (!contains(kPlugins, part.plugin)) {
        reader_.invalid(
            plugin->field,
            (contains(kOtherPlugins, part.plugin)
                 ? "plugin " + py_repr(part.plugin) + " is not supported by gantry rock-pack"
                 : "plugin not registered: " + py_repr(part.plugin)) +
                " (supported: " + joined(kPlugins, ", ") + ")",
            "Use one of the supported plugins; anything else can be built with "
            "'plugin: nil' and 'override-build'.");
      }
    }
    std::vector<std::string_view> keys(kPartKeys.begin(), kPartKeys.end());
    const auto add = [&keys](Names more) { keys.insert(keys.end(), more.begin(), more.end()); };
    if (part.plugin == "python") {
      add(kPythonKeys);
    }
    if (part.plugin == "make") {
      add(kMakeKeys);
    }
    if (part.plugin == "go") {
      add(kGoKeys);
    }
    for (const auto& key : all) {
      if (!contains(keys, key.name)) {
        reader_.extra_field(key, field.path);
      }
      part.keys_given.push_back(key.name);
      if (key.name == "after") {
        after_fields_.emplace(part.name, key.field);
      }
    }
    const Model model(std::move(all));
    read_part_sources(part, field, model);
    read_part_lists(part, model);
    read_part_steps(part, model);
    if (const Field* permissions = model.given("permissions")) {
      part.permissions = read_permissions(*permissions);
    }
    if (part.plugin == "python" && model.get("python-packages") == nullptr) {
      part.python_packages = {"pip", "setuptools", "wheel"};
    }
    if (base_ == "bare" &&
        (!part.overlay_packages.empty() || model.get("overlay-recommended-packages") != nullptr ||
         part.overlay_script || part.override_overlay ||
         part.overlay_files != std::vector<std::string>{"*"})) {
      reader_.fail(part.position,
                   lower_first("Part " + py_repr(part.name) +
                               " cannot use overlays with a 'bare' base (there is no system to "
                               "overlay).") +
                       " (in field 'parts')",
                   "Remove the part's overlay keys, or use an Ubuntu base.");
    }
    return part;
  }

  void read_part_sources(PartSpec& part, const Field& field, const Model& model) {
    const auto text = [&](std::string_view name) {
      return reader_.optional_string(model.get(name)).value_or("");
    };
    part.source = text("source");
    if (part.plugin != "nil" && model.given("source") == nullptr) {
      reader_.missing_field(field, "source");
    }
    part.source_type = text("source-type");
    if (!part.source_type.empty() && !contains(kSourceTypes, part.source_type)) {
      reader_.fail(reader_.at(*model.get("source-type")),
                   "Failed to pull source: unknown source-type " + py_repr(part.source_type) + ".",
                   "Use one of " + joined(kSourceTypes, ", ") + ".");
    }
    part.source_subdir = text("source-subdir");
    part.source_branch = text("source-branch");
    part.source_tag = text("source-tag");
    part.source_commit = text("source-commit");
    part.source_checksum = text("source-checksum");
    (void)text("source-channel");
    std::vector<std::string> refs;
    for (const std::string_view name : {"source-branch", "source-commit", "source-tag"}) {
      if (!text(name).empty()) {
        refs.push_back(py_repr(name));
      }
    }
    if (refs.size() > 1) {
      std::string list;
      for (std::size_t i = 0; i < refs.size(); ++i) {
        list += (i == 0                 ? ""
                 : i + 1 == refs.size() ? (refs.size() > 2 ? ", and " : " and ")
                                        : ", ") +
                refs[i];
      }
      reader_.fail(part.position,
                   "Failed to pull source: cannot specify both " + list + " for a git source.",
                   "Keep one of source-branch, source-tag and source-commit.");
    }
    if (const Field* depth = model.given("source-depth")) {
      part.source_depth = reader_.integer(*depth);
    }
    if (const Field* submodules = model.given("source-submodules")) {
      part.source_submodules = reader_.strings(*submodules);
    }
    if (const Field* parallel = model.given("disable-parallel")) {
      part.disable_parallel = reader_.boolean(*parallel);
    }
  }

  void read_part_lists(PartSpec& part, const Model& model) {
    const auto list = [&](std::string_view name, std::vector<std::string>& into) {
      if (const Field* field = model.get(name)) {
        into = reader_.strings(*field);
      }
    };
    list("after", part.after);
    list("stage-packages", part.stage_packages);
    list("build-packages", part.build_packages);
    list("stage-snaps", part.stage_snaps);
    list("build-snaps", part.build_snaps);
    list("build-attributes", part.build_attributes);
    list("overlay-packages", part.overlay_packages);
    list("python-packages", part.python_packages);
    list("python-requirements", part.python_requirements);
    list("python-constraints", part.python_constraints);
    list("make-parameters", part.make_parameters);
    list("go-buildtags", part.go_buildtags);
    list("go-generate", part.go_generate);
    if (const Field* overlay = model.get("overlay")) {
      part.overlay_files = reader_.strings(*overlay);
    }
    if (const Field* recommended = model.get("overlay-recommended-packages")) {
      (void)reader_.strings(*recommended);
    }
    const auto fileset = [&](std::string_view name, std::vector<std::string>& into) {
      into = {"*"};
      if (const Field* field = model.get(name)) {
        into = reader_.strings(*field);
        for (std::size_t i = 0; i < into.size(); ++i) {
          const std::string& path = into[i];
          if (path.empty()) {
            reader_.invalid(reader_.item(*field, i), "path cannot be empty");
          }
          if (path.starts_with('/')) {
            reader_.invalid(reader_.item(*field, i),
                            py_repr(path) + " must be a relative path (cannot start with '/')",
                            "Write paths relative to the part's install directory.");
          }
        }
      }
    };
    fileset("stage", part.stage);
    fileset("prime", part.prime);
    // craft-parts (validate_root): debs and chisel slices ("pkg_slice") do not mix.
    const auto slice = [](const std::string& name) { return name.find('_') != std::string::npos; };
    if (std::any_of(part.stage_packages.begin(), part.stage_packages.end(), slice) &&
        !std::all_of(part.stage_packages.begin(), part.stage_packages.end(), slice)) {
      reader_.invalid(*model.get("stage-packages"),
                      "Cannot mix packages and slices in stage-packages",
                      "Put the slices and the packages in separate parts.");
    }
  }

  void read_part_steps(PartSpec& part, const Model& model) {
    if (const Field* organize = model.given("organize")) {
      part.organize = reader_.string_map(*organize);
    }
    if (const Field* environment = model.given("build-environment")) {
      if (!environment->value.IsSequence()) {
        reader_.invalid(*environment, "Input should be a valid list",
                        "Write 'build-environment' as a list of NAME: value entries.");
      }
      for (std::size_t i = 0; i < environment->value.size(); ++i) {
        const auto pairs = reader_.string_map(reader_.item(*environment, i));
        part.build_environment.insert(part.build_environment.end(), pairs.begin(), pairs.end());
      }
    }
    part.override_pull = reader_.optional_string(model.get("override-pull"));
    part.override_build = reader_.optional_string(model.get("override-build"));
    part.override_stage = reader_.optional_string(model.get("override-stage"));
    part.override_prime = reader_.optional_string(model.get("override-prime"));
    part.overlay_script = reader_.optional_string(model.get("overlay-script"));
    part.override_overlay = reader_.optional_string(model.get("override-overlay"));
    if (part.overlay_script && part.override_overlay) {
      reader_.invalid(*model.get("overlay-script"),
                      "override-overlay and overlay-script cannot both be defined",
                      "Keep one of them.");
    }
  }

  std::vector<Permission> read_permissions(const Field& field) {
    if (!field.value.IsSequence()) {
      reader_.invalid(field, "Input should be a valid list");
    }
    std::vector<Permission> out;
    for (std::size_t i = 0; i < field.value.size(); ++i) {
      const Field item = reader_.item(field, i);
      const Model model = reader_.model(item, kPermissionKeys);
      if ((model.get("owner") == nullptr) != (model.get("group") == nullptr)) {
        reader_.invalid(item, "If either \"owner\" or \"group\" is defined, both must be set",
                        "Give both 'owner' and 'group' (numeric ids), or neither.");
      }
      Permission permission;
      if (const Field* path = model.given("path")) {
        permission.path = reader_.string(*path);
      }
      const auto id = [&](std::string_view name) -> std::optional<std::uint32_t> {
        const Field* given = model.given(name);
        if (given == nullptr) {
          return std::nullopt;
        }
        const std::int64_t value = reader_.integer(*given);
        if (value < 0 || value > std::int64_t{UINT32_MAX}) {
          reader_.invalid(*given, "Input should be a valid integer",
                          "Give a numeric user or group id.");
        }
        return static_cast<std::uint32_t>(value);
      };
      permission.owner = id("owner");
      permission.group = id("group");
      if (const Field* mode = model.given("mode")) {
        // craft-parts wants a string: an unquoted 0755 is a YAML 1.1 octal number.
        if (scalar_kind(mode->value) != ScalarKind::kString) {
          reader_.invalid(*mode, "Input should be a valid string",
                          "Quote the mode, e.g. mode: \"755\".");
        }
        std::string text = mode->value.Scalar();
        if (text.starts_with("0o") || text.starts_with("0O")) {
          text = text.substr(2);
        }
        std::uint32_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, 8);
        if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
            value > 07777) {
          reader_.invalid(*mode,
                          "invalid literal for int() with base 8: " + py_repr(mode->value.Scalar()),
                          "Give the mode as an octal string, e.g. \"755\".");
        }
        permission.mode = value;
      }
      out.push_back(std::move(permission));
    }
    return out;
  }
  const Reader& reader_;
  std::string_view base_;
  std::map<std::string, Field> after_fields_;  ///< each part's `after:`, for positions
};

}  // namespace

std::vector<PartSpec> parse_part_specs(const Reader& reader, const Field& field,
                                       std::string_view base) {
  return PartSpecParser(reader, base).parse(field);
}

}  // namespace gantry::rock_pack::detail
