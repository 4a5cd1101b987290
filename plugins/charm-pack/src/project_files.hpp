#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gantry/yaml/model_reader.hpp"

namespace gantry::charm_pack {

/// The see-also every charmcraft.yaml message ends with.
inline constexpr const char* kCharmcraftReference =
    "See charmcraft's charmcraft.yaml reference (https://documentation.ubuntu.com/charmcraft).";

/// charmcraft.yaml with the older split layout folded in (charmcraft's preprocess.py:
/// metadata.yaml's keys, config.yaml as `config`, actions.yaml as `actions`), and which
/// file each top-level key came from, so that a mistake is reported where it is.
struct ProjectFiles {
  YAML::Node document{};
  std::vector<std::string> split_files{};  ///< the split files that exist
  /// A reader per file; `reader(key)` picks the one the top-level key came from.
  std::map<std::string, std::shared_ptr<yaml::Reader>> readers{};
  std::map<std::string, std::string> origin{};  ///< top-level key -> file name

  [[nodiscard]] const yaml::Reader& reader(const std::string& key = {}) const;
};

/// Reads the project files in `dir`. Throws Error when charmcraft.yaml is missing and
/// ConfigError for YAML mistakes and keys given twice (in charmcraft.yaml and a split file).
[[nodiscard]] ProjectFiles read_project_files(const std::filesystem::path& dir,
                                              const yaml::Reader::Warn& warn);

}  // namespace gantry::charm_pack
