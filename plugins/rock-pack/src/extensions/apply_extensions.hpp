// Applying rockcraft.yaml's `extensions` before validation (RC rockcraft/extensions/_utils.py
// apply_extensions): in name order, each checked against the base, given a copy of the
// project, and its snippet merged in; then the key is removed.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::rock_pack {

struct ExpansionSettings {
  std::filesystem::path project_root;
  /// Where the extensions' files are (see extension_files); rockcraft.yaml's directory's
  /// .gantry/rock-pack/extensions unless set.
  std::filesystem::path data_dir;
};

/// One `extensions:` entry and where it is written.
struct ExtensionUse {
  std::string name;
  SourcePosition position;
};

/// Applies `uses` to `project` in place. An extension that cannot apply is a ConfigError at
/// its entry, with rockcraft's message.
void apply_extensions(YAML::Node& project, std::vector<ExtensionUse> uses,
                      const ExpansionSettings& settings,
                      const std::function<void(const std::string&)>& warn);

/// Writes each extension's files into `data_dir`/<extension>/, leaving files that already
/// hold the same bytes untouched (their times feed the part cache).
void write_extension_files(const std::filesystem::path& data_dir,
                           const std::vector<std::string>& extensions);

}  // namespace gantry::rock_pack
