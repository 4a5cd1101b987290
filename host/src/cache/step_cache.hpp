// The host's step cache: a step that declares the `cacheable` capability is not run
// again when its name, version, parameters (canonical, after expressions are resolved)
// and the content of its path parameters are those of a successful run before, and the
// other inputs that run declared (Result.inputs) are unchanged. The hit
// gives back that run's outputs and its artifacts: each file checked by its sha256, and
// put back from the cache's own copy when it was changed or removed.
//
// Layout, under the pipeline's working directory: .gantry/cache/steps/<key>.json (one
// entry per run) and .gantry/cache/artifacts/<sha256> (artifact copies, hard links when
// the filesystem allows, shared between entries).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gantry/v1/step.pb.h"

namespace gantry::host {

/// The capability a step declares to be cached: its result (and artifacts) depend only on
/// its parameters, the content of its path parameters and the variables it names with
/// `cache-env:NAME` (a variable naming a file counts with the file's content). A path
/// parameter named with `output-path:NAME` says where the step writes: its content is not
/// an input. Only runs that produce an artifact are stored (not `clean`, not `--expand`).
inline constexpr const char* kCacheableCapability = "cacheable";
inline constexpr const char* kCacheEnvCapability = "cache-env:";
inline constexpr const char* kOutputPathCapability = "output-path:";

struct CachedRun {
  v1::Result result;
  std::vector<v1::Artifact> artifacts;
  std::string run_id;  ///< the run that produced it
};

struct PruneReport {
  std::size_t entries_removed = 0;
  std::uint64_t bytes_before = 0;
  std::uint64_t bytes_after = 0;
};

class StepCache {
 public:
  explicit StepCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// The cache of a pipeline run in `working_directory`.
  static StepCache in(const std::filesystem::path& working_directory);

  /// The run's key; nullopt when the step does not declare `cacheable`. `origin` is
  /// where the step comes from: a plugin file counts with its size and time, so that a
  /// rebuilt or upgraded plugin does not reuse its predecessor's runs.
  [[nodiscard]] std::optional<std::string> key(
      const v1::StepDescription& description,
      const google::protobuf::Map<std::string, v1::Value>& params,
      const std::filesystem::path& working_directory, const std::string& origin = {}) const;

  /// The run stored under `key`, with its artifacts in place; nullopt when there is none
  /// or an artifact can no longer be had.
  [[nodiscard]] std::optional<CachedRun> find(const std::string& key) const;

  /// Stores a successful run and copies of its artifact files. Best effort: a cache that
  /// cannot be written costs a re-run next time, nothing else.
  void store(const std::string& key, const v1::Result& result,
             const std::vector<v1::Artifact>& artifacts, const std::string& run_id) const;

  /// Removes the least recently used entries (and copies no entry needs) until the cache
  /// holds at most `max_bytes`.
  PruneReport prune(std::uint64_t max_bytes) const;

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

}  // namespace gantry::host
