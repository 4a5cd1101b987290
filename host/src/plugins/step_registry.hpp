#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "plugins/description_cache.hpp"
#include "plugins/plugin_search_path.hpp"
#include "plugins/step_endpoint.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

/// The steps this host can run, by name. Owned by the host; filled by explicit calls.
class StepRegistry {
 public:
  /// Adds a step. Throws gantry::Error naming both origins when the name is taken.
  void add(std::unique_ptr<StepEndpoint> endpoint);

  /// What load_plugins does with a library whose description is not in the cache.
  enum class Uncached { kLoad, kLeaveOut };

  /// Adds a step for every plugin in each directory, in order (files sorted by name): each
  /// `*.so` library, run in process, and each executable `gantry-step-NAME`, run as a step
  /// process (transport/process_endpoint.hpp). Records each plugin that is refused in
  /// problems(). The first plugin found for a name wins. A plugin whose description
  /// `cache` holds for its identity is not loaded or started until its step runs; any
  /// other is loaded (or started), checked and described now (and its description
  /// stored), or with Uncached::kLeaveOut counted in left_out() and skipped.
  void load_plugins(const PluginSearchPath& search, const DescriptionCache* cache = nullptr,
                    Uncached uncached = Uncached::kLoad);

  /// The step called `name`, or nullptr.
  [[nodiscard]] StepEndpoint* find(const std::string& name) const;
  /// The step called `name` run in a child process (`isolation: process`): for a library,
  /// an endpoint that serves it with `gantry plugin-serve`, made once and kept; a step
  /// that already runs out of process is itself. nullptr for an unknown step.
  [[nodiscard]] StepEndpoint* isolated(const std::string& name) const;
  /// Step `name` on the runner `remote` names (`runs-on:`), made once and kept. Throws
  /// gantry::Error when the runner cannot be reached or does not offer the step.
  [[nodiscard]] StepEndpoint* remote(const RemoteOptions& remote, const std::string& name) const;
  /// Every step, sorted by name.
  [[nodiscard]] std::vector<const StepEndpoint*> steps() const;
  /// Why libraries on the search path were refused, each message naming its file.
  [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }
  /// How many libraries Uncached::kLeaveOut skipped.
  [[nodiscard]] std::size_t left_out() const { return left_out_; }

 private:
  void add_plugin(const std::filesystem::path& file, bool executable, const DescriptionCache* cache,
                  Uncached uncached);

  std::map<std::string, std::unique_ptr<StepEndpoint>> steps_;
  mutable std::mutex isolated_mutex_;
  mutable std::map<std::string, std::unique_ptr<StepEndpoint>> isolated_;
  mutable std::map<std::pair<std::string, std::string>, std::unique_ptr<StepEndpoint>> remote_;
  std::vector<std::string> problems_;
  std::size_t left_out_ = 0;
};

}  // namespace gantry::host
