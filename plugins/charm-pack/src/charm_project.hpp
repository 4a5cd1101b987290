#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "frameworks.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::charm_pack {

/// One `config.options` entry.
struct ConfigOption {
  std::string name{};
  std::string type{};          ///< string, int, float, boolean or secret
  YAML::Node default_value{};  ///< undefined when the option has none
  bool optional = true;
  SourcePosition position{};  ///< the option's key, for messages about it
};

/// The `charm` plugin's properties (charmcraft/parts/plugins/_charm.py).
struct CharmPart {
  std::string name{};
  std::vector<std::filesystem::path> requirements{};  ///< relative to the project
  std::vector<std::string> python_packages{};
  std::vector<std::string> binary_python_packages{};
  std::string entrypoint = "src/charm.py";
  bool strict_dependencies = false;
};

/// A `charm-libs` entry: lib "traefik_k8s.ingress", version "2" or "2.11".
struct CharmLib {
  std::string charm{};    ///< traefik_k8s (Python form)
  std::string library{};  ///< ingress
  std::string version{};
  /// lib/charms/<charm>/v<api>/<library>.py
  [[nodiscard]] std::filesystem::path path() const;
};

/// A base as manifest.yaml lists it.
struct ManifestBase {
  std::string name{};     ///< ubuntu
  std::string channel{};  ///< 22.04
  std::vector<std::string> architectures{};
};

/// One charm to write: charmcraft's build-plan entry.
struct BuildTarget {
  std::string platform{};   ///< the label: amd64, ubuntu@22.04:amd64, ubuntu-22.04-amd64
  std::string channel{};    ///< the Ubuntu release the charm runs on (its Python)
  std::string build_for{};  ///< the architecture its venv is for
  std::vector<ManifestBase> bases{};
  /// charmcraft's file name: <name>_<platform with ':' as '-'>.charm
  [[nodiscard]] std::string file_name(const std::string& charm_name) const;
};

/// A charm project read from charmcraft.yaml (and metadata.yaml, config.yaml,
/// actions.yaml beside it), its extensions applied and validated.
struct CharmProject {
  std::filesystem::path dir{};
  std::string name{};
  YAML::Node document{};  ///< the expanded project, as charmcraft expand-extensions shows it
  const Framework* framework = nullptr;
  std::vector<ConfigOption> options{};
  std::vector<CharmPart> charm_parts{};
  std::vector<CharmLib> charm_libs{};
  std::vector<BuildTarget> targets{};
  std::vector<std::string> oci_resources{};  ///< names of oci-image resources
  std::vector<std::string> dump_sources{};   ///< `dump` parts' sources, copied into the charm
  /// Files the split layout read (metadata.yaml, config.yaml, actions.yaml): the charm
  /// carries these as they are.
  std::vector<std::string> split_files{};
};

using Warn = std::function<void(const std::string&)>;

/// Reads, expands and validates the project in `dir`. Throws ConfigError with charmcraft's
/// message at file:line:column, or Error when charmcraft.yaml is missing.
[[nodiscard]] CharmProject load_charm_project(const std::filesystem::path& dir, const Warn& warn);

}  // namespace gantry::charm_pack
