#include "extensions/apply_extensions.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "extensions/extension_merge.hpp"
#include "extensions/framework_extensions.hpp"
#include "gantry/archive/atomic_file.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<Extension> make_extension(const ExtensionUse& use) {
  if (use.name == "flask-framework") {
    return make_flask_framework();
  }
  if (use.name == "django-framework") {
    return make_django_framework();
  }
  if (use.name == "fastapi-framework") {
    return make_fastapi_framework();
  }
  if (use.name == "go-framework") {
    return make_go_framework();
  }
  throw ConfigError(use.position,
                    "gantry rock-pack does not implement the extension '" + use.name + "' yet",
                    "Use flask-framework, django-framework, fastapi-framework or go-framework, "
                    "or write the parts and services out in rockcraft.yaml.");
}

std::string scalar(const YAML::Node& project, const char* key) {
  const YAML::Node& root = project;
  const YAML::Node value = root[key];
  return value.IsDefined() && value.IsScalar() ? value.Scalar() : std::string();
}

/// RC extension.py get_project_base: build-base before base; ':' read as '@'.
std::string effective_base(const YAML::Node& project) {
  std::string base = scalar(project, "build-base");
  if (base.empty()) {
    base = scalar(project, "base");
  }
  if (std::count(base.begin(), base.end(), ':') == 1 && base.find('@') == std::string::npos) {
    base[base.find(':')] = '@';
  }
  return base == "devel" ? "ubuntu@devel" : base;
}

std::string stable_bases(const std::vector<std::string_view>& stable) {
  std::string bases;
  for (const auto candidate : stable) {
    if (candidate.find(':') == std::string_view::npos) {
      bases += (bases.empty() ? "" : ", ") + std::string(candidate);
    }
  }
  return bases;
}

/// RC extension.py validate, with the V1/V2 choice of _FrameworkFactory: a project whose
/// effective base the stable extension does not support gets the experimental one, which
/// supports ubuntu@26.04 only.
void validate(const Extension& extension, const ExtensionUse& use, const YAML::Node& project,
              const std::function<void(const std::string&)>& warn) {
  const auto stable = extension.supported_bases();
  const bool experimental =
      std::find(stable.begin(), stable.end(), effective_base(project)) == stable.end();
  const std::string base = scalar(project, "base");
  if (experimental) {
    const char* enabled = std::getenv("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS");
    if (enabled == nullptr || *enabled == '\0') {
      std::string resolution =
          "Run with ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=True to enable experimental "
          "extensions.";
      if (effective_base(project) != "ubuntu@26.04") {
        resolution += " (The stable " + use.name + " supports " + stable_bases(stable) +
                      "; only its experimental version, for ubuntu@26.04, is left for this "
                      "base.)";
      }
      throw ConfigError(use.position, "Extension is experimental: '" + use.name + "'", resolution);
    }
    warn("*EXPERIMENTAL* extension '" + use.name + "' enabled");
  }
  const bool supported = experimental
                             ? base == "ubuntu@26.04"
                             : std::find(stable.begin(), stable.end(), base) != stable.end();
  if (!supported) {
    throw ConfigError(use.position,
                      "Extension '" + use.name + "' does not support base: '" + base + "'",
                      "Use one of its bases: " + stable_bases(stable) + ".");
  }
}

}  // namespace

void apply_extensions(YAML::Node& project, std::vector<ExtensionUse> uses,
                      const ExpansionSettings& settings,
                      const std::function<void(const std::string&)>& warn) {
  project.remove("extensions");
  std::stable_sort(uses.begin(), uses.end(),
                   [](const ExtensionUse& a, const ExtensionUse& b) { return a.name < b.name; });
  ExpansionSettings resolved = settings;
  if (resolved.data_dir.empty()) {
    resolved.data_dir = settings.project_root / ".gantry" / "rock-pack" / "extensions";
  }
  for (const auto& use : uses) {
    const auto extension = make_extension(use);
    const YAML::Node& read_only = project;
    if (!read_only["base"].IsDefined()) {
      continue;  // validation reports the missing base
    }
    validate(*extension, use, project, warn);
    YAML::Node snippet;
    try {
      snippet =
          extension->root_snippet({resolved.project_root, YAML::Clone(project), resolved.data_dir});
    } catch (const ExtensionError& error) {
      throw ConfigError(use.position, error.what(), error.resolution());
    }
    merge_root_snippet(project, snippet);
  }
}

void write_extension_files(const fs::path& data_dir, const std::vector<std::string>& extensions) {
  for (const auto& name : extensions) {
    for (const auto& file : extension_files(name)) {
      const fs::path target = data_dir / name / file.path;
      std::ifstream in(target, std::ios::binary);
      std::ostringstream current;
      current << in.rdbuf();
      if (in && current.str() == file.content) {
        continue;
      }
      fs::create_directories(target.parent_path());
      archive::write_file_atomically(target, file.content);
    }
  }
}

}  // namespace gantry::rock_pack
