#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gantry::host {

/// The directories searched for plugins, in order, and what was left out and why.
struct PluginSearchPath {
  std::vector<std::filesystem::path> directories;
  /// Entries of GANTRY_PLUGIN_PATH that were ignored (empty or relative), with a reason.
  std::vector<std::string> ignored;
};

/// GANTRY_PLUGIN_PATH's absolute entries (colon-separated), then `bundled_dir`, the
/// install's lib/gantry/plugins. Never the current directory: an empty or relative entry
/// would let whoever controls the directory a user runs gantry in inject code.
[[nodiscard]] PluginSearchPath plugin_search_path(const std::optional<std::string>& env_value,
                                                  const std::filesystem::path& bundled_dir);

/// The bundled plugin directory of the running executable: <exe dir>/../lib/gantry/plugins.
[[nodiscard]] std::filesystem::path bundled_plugin_dir();

}  // namespace gantry::host
