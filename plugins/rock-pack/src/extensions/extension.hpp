// A rockcraft extension (RC rockcraft/extensions/extension.py): a named set of parts,
// services and settings merged into rockcraft.yaml before it is validated.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::rock_pack {

/// Why an extension cannot apply to a project, in rockcraft's words.
class ExtensionError : public Error {
 public:
  using Error::Error;
};

/// What an extension sees: the project directory and a copy of rockcraft.yaml as written
/// (with the extensions applied before it, in name order).
struct ExtensionInput {
  std::filesystem::path project_root;
  YAML::Node data;
  /// Where the extensions' own files are (gunicorn.conf.py, statsd-mapping.conf), one
  /// folder per extension; rockcraft has them in its share/rockcraft/extensions.
  std::filesystem::path data_dir;
};

class Extension {
 public:
  virtual ~Extension() = default;
  /// The bases the stable version supports ("bare", "ubuntu@22.04", ...).
  [[nodiscard]] virtual std::vector<std::string_view> supported_bases() const = 0;
  /// The root snippet: top-level keys (run-user, services, parts, ...) to merge.
  [[nodiscard]] virtual YAML::Node root_snippet(const ExtensionInput& input) const = 0;
};

/// The files an extension ships, by path relative to its data folder, e.g.
/// {"gunicorn.conf.py", "..."} for flask-framework; empty for most.
struct ExtensionFile {
  std::string path, content;
};

}  // namespace gantry::rock_pack
