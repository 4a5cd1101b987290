#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <vector>

#include "frameworks.hpp"
#include "gantry/yaml/model_reader.hpp"

namespace gantry::charm_pack {

/// The charm-libs every 12-factor extension adds (charmcraft 4.1+: app.py _CHARM_LIBS).
[[nodiscard]] YAML::Node twelve_factor_charm_libs();

/// Applies the document's `extensions` as charmcraft does (extensions/_utils.py
/// apply_extensions): pops the key, checks each extension's refusals against the user's
/// document (app.py _AppBase._check_input, extension.py's base checks) and merges its
/// root snippet: absent or empty user values take the extension's, mappings merge key by
/// key with the user's scalars winning, lists become the extension's then the user's.
/// Returns the 12-factor framework applied, or nullptr. Throws ConfigError with
/// charmcraft's message, positioned at the offending key where it has one.
const Framework* apply_extensions(YAML::Node& document, const yaml::Reader& reader,
                                  const std::filesystem::path& project_dir);

/// The bases (ubuntu@22.04, ...) a document builds for: `base`, `build-base`, platform
/// labels and `build-for` entries naming a base, and legacy `bases` (run-on and build-on).
[[nodiscard]] std::vector<std::string> project_bases(const YAML::Node& document);

}  // namespace gantry::charm_pack
