#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gantry/deb/apt_source.hpp"
#include "rock_project.hpp"

namespace gantry::rock_pack {

/// Where and how the parts run.
struct LifecycleOptions {
  std::filesystem::path project_dir;
  std::filesystem::path work_dir;           ///< parts/, stage/, prime/ go here
  std::filesystem::path output_dir;         ///< where rocks go: never part of a source
  std::string build_for;                    ///< the Debian architecture
  std::vector<deb::AptSource> apt_sources;  ///< empty: this machine's
  std::filesystem::path deb_cache;          ///< empty: deb-stage's default
  std::function<void(const std::string&)> info = [](const std::string&) {};
  std::function<void(const std::string&)> warn = [](const std::string&) {};
  std::function<bool()> cancelled = [] { return false; };
  /// Parts that can be (source_layered_part.hpp) are layered from their source rather
  /// than copied through the lifecycle's directories.
  bool layers_from_sources = true;
};

/// Owner and mode a `permissions` entry gives a primed path.
struct Ownership {
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
  std::optional<std::uint32_t> mode;
};

/// What the parts primed: the prime directory, and which part each primed path came from
/// (in processing order), so that each part can become its own layer.
struct PrimedTree {
  std::filesystem::path prime_dir;
  std::vector<std::pair<std::string, std::vector<std::string>>> parts;
  /// The parts layered from their source: where their primed paths are instead of
  /// prime_dir.
  std::map<std::string, std::filesystem::path> part_roots;
  std::map<std::string, Ownership> ownership;          ///< by primed path
  std::map<std::string, std::string> craftctl_values;  ///< what `craftctl set` recorded
  /// Each part's key (PartKey::digest; empty when it cannot be reused) and the newest
  /// time in its source, which its layer's entries carry.
  std::map<std::string, std::string> part_keys;
  std::map<std::string, std::int64_t> part_epochs;
  /// Everything that can change primed files after the parts' builds, for layer keys.
  std::string prime_definition;

  /// The root `part`'s primed paths are under.
  [[nodiscard]] const std::filesystem::path& root_of(const std::string& part) const;
  /// Where the primed path `name` is on disk: under the root of the part that primed it.
  [[nodiscard]] std::filesystem::path path_of(const std::string& name) const;
};

/// The parts in processing order: alphabetical, each after what it names in `after`.
/// Throws ConfigError for an unknown name in `after` or a cycle.
[[nodiscard]] std::vector<const PartSpec*> processing_order(const RockProject& project);

/// Runs pull, build, stage and prime for every part, as craft-parts does: sources copied
/// (local directories and tarballs), stage-packages staged into the part's install
/// directory, the plugin's build (nil, dump, make) or `override-*` scripts under bash
/// with the CRAFT_* variables and craftctl, `organize`, `stage` and `prime` filesets, a
/// stage conflict naming both parts. A part whose key (part_key.hpp) matches the last
/// pack's is not pulled or built again: its install directory comes from the cache in
/// work_dir/cache. Throws gantry::Error naming the part on failure.
PrimedTree run_lifecycle(const RockProject& project, const LifecycleOptions& options);

}  // namespace gantry::rock_pack
