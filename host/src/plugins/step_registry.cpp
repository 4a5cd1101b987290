#include "plugins/step_registry.hpp"

#include <algorithm>

#include "gantry/sdk/error.hpp"
#include "plugins/description_check.hpp"
#include "plugins/in_process_endpoint.hpp"

namespace gantry::host {

void StepRegistry::add(std::unique_ptr<StepEndpoint> endpoint) {
  const std::string name = endpoint->description().name();
  const auto existing = steps_.find(name);
  if (existing != steps_.end()) {
    throw Error(endpoint->origin() + ": step '" + name + "' is already provided by " +
                    existing->second->origin() + "; this library was not loaded",
                "Remove one of the two libraries, or order GANTRY_PLUGIN_PATH so that the one "
                "you want comes first.");
  }
  steps_.emplace(name, std::move(endpoint));
}

void StepRegistry::load_plugins(const PluginSearchPath& search, const DescriptionCache* cache,
                                Uncached uncached) {
  for (const auto& dir : search.directories) {
    std::error_code error;
    if (!std::filesystem::is_directory(dir, error)) {
      continue;
    }
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (entry.path().extension() == ".so" && entry.is_regular_file(error)) {
        files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      try {
        const auto identity = cache != nullptr ? identify(file) : std::nullopt;
        auto description = identity ? cache->find(*identity) : std::nullopt;
        // Checked again: the cache is a file anyone with the user's rights may edit.
        if (description && !description_problem(*description)) {
          add(InProcessEndpoint::described(file, std::move(*description)));
        } else if (uncached == Uncached::kLeaveOut) {
          ++left_out_;
        } else {
          auto endpoint = InProcessEndpoint::load(file);
          if (identity) {
            cache->store(*identity, endpoint->description());
          }
          add(std::move(endpoint));
        }
      } catch (const Error& refused) {
        problems_.emplace_back(refused.what());
      }
    }
  }
}

StepEndpoint* StepRegistry::find(const std::string& name) const {
  const auto found = steps_.find(name);
  return found == steps_.end() ? nullptr : found->second.get();
}

std::vector<const StepEndpoint*> StepRegistry::steps() const {
  std::vector<const StepEndpoint*> all;
  for (const auto& [name, endpoint] : steps_) {
    all.push_back(endpoint.get());
  }
  return all;
}

}  // namespace gantry::host
