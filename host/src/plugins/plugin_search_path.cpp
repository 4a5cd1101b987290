#include "plugins/plugin_search_path.hpp"

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>

namespace gantry::host {

PluginSearchPath plugin_search_path(const std::optional<std::string>& env_value,
                                    const std::filesystem::path& bundled_dir) {
  PluginSearchPath search;
  if (env_value) {
    std::string_view rest = *env_value;
    while (true) {
      const auto colon = rest.find(':');
      const std::string entry(rest.substr(0, colon));
      if (entry.empty()) {
        search.ignored.push_back(
            "an empty entry in GANTRY_PLUGIN_PATH (it is not read as the current directory)");
      } else if (std::filesystem::path(entry).is_relative()) {
        search.ignored.push_back("relative entry '" + entry +
                                 "' in GANTRY_PLUGIN_PATH (give absolute directories)");
      } else {
        search.directories.emplace_back(entry);
      }
      if (colon == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(colon + 1);
    }
  }
  search.directories.push_back(bundled_dir);
  // A directory named twice (GANTRY_PLUGIN_PATH set to the bundled one) is searched once,
  // rather than refusing each of its plugins as a duplicate of itself.
  std::vector<std::filesystem::path> unique;
  for (const auto& directory : search.directories) {
    std::error_code error;
    const auto canonical = std::filesystem::weakly_canonical(directory, error);
    const auto key = error ? directory.lexically_normal() : canonical;
    const bool seen = std::any_of(unique.begin(), unique.end(), [&](const auto& known) {
      std::error_code ignored;
      const auto known_key = std::filesystem::weakly_canonical(known, ignored);
      return (ignored ? known.lexically_normal() : known_key) == key;
    });
    if (!seen) {
      unique.push_back(directory);
    }
  }
  search.directories = std::move(unique);
  return search;
}

std::filesystem::path bundled_plugin_dir() {
  const std::filesystem::path executable(boost::dll::program_location().string());
  return (executable.parent_path() / ".." / "lib" / "gantry" / "plugins").lexically_normal();
}

}  // namespace gantry::host
