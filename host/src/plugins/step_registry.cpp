#include "plugins/step_registry.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <cstdlib>

#include "gantry/sdk/error.hpp"
#include "plugins/description_check.hpp"
#include "plugins/in_process_endpoint.hpp"
#include "transport/transport_module.hpp"

namespace gantry::host {
namespace {

/// `gantry-step-NAME`, executable by this user: a step served by a process of its own.
bool is_step_executable(const std::filesystem::path& file) {
  const std::string name = file.filename().string();
  return name.starts_with("gantry-step-") && name.size() > 12 && ::access(file.c_str(), X_OK) == 0;
}

/// The gantry executable that serves plugin libraries: this one, unless
/// GANTRY_EXECUTABLE names another (the tests, whose program is not gantry, do).
std::filesystem::path gantry_executable() {
  if (const char* given = std::getenv("GANTRY_EXECUTABLE"); given != nullptr && *given != 0) {
    return given;
  }
  return boost::dll::program_location().string();
}

}  // namespace

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
    std::vector<std::pair<std::filesystem::path, bool>> plugins;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
      if (!entry.is_regular_file(error)) {
        continue;
      }
      if (entry.path().extension() == ".so") {
        plugins.emplace_back(entry.path(), false);
      } else if (is_step_executable(entry.path())) {
        plugins.emplace_back(entry.path(), true);
      }
    }
    std::sort(plugins.begin(), plugins.end());
    for (const auto& [file, executable] : plugins) {
      try {
        add_plugin(file, executable, cache, uncached);
      } catch (const Error& refused) {
        problems_.emplace_back(refused.what());
      }
    }
  }
}

void StepRegistry::add_plugin(const std::filesystem::path& file, bool executable,
                              const DescriptionCache* cache, Uncached uncached) {
  const auto identity = cache != nullptr ? identify(file) : std::nullopt;
  auto description = identity ? cache->find(*identity) : std::nullopt;
  // Checked again: the cache is a file anyone with the user's rights may edit.
  if (description && description_problem(*description)) {
    description.reset();
  }
  if (!description && uncached == Uncached::kLeaveOut) {
    ++left_out_;
    return;
  }
  std::unique_ptr<StepEndpoint> endpoint;
  if (executable) {
    const bool known = description.has_value();
    endpoint = transport_module().process_endpoint(
        {file, file, {file.string()}, StepTransport::kExecutable}, std::move(description));
    if (!known && identity) {
      cache->store(*identity, endpoint->description());
    }
  } else if (description) {
    endpoint = InProcessEndpoint::described(file, std::move(*description));
  } else {
    endpoint = InProcessEndpoint::load(file);
    if (identity) {
      cache->store(*identity, endpoint->description());
    }
  }
  add(std::move(endpoint));
}

StepEndpoint* StepRegistry::find(const std::string& name) const {
  const auto found = steps_.find(name);
  return found == steps_.end() ? nullptr : found->second.get();
}

StepEndpoint* StepRegistry::isolated(const std::string& name) const {
  auto* endpoint = find(name);
  if (endpoint == nullptr || endpoint->transport() != StepTransport::kInProcess) {
    return endpoint;
  }
  const std::lock_guard lock(isolated_mutex_);
  auto& served = isolated_[name];
  if (!served) {
    const std::filesystem::path library = endpoint->origin();
    const auto server = gantry_executable();
    served =
        transport_module().process_endpoint({library,
                                             server,
                                             {server.string(), "plugin-serve", library.string()},
                                             StepTransport::kProcess},
                                            endpoint->description());
  }
  return served.get();
}

StepEndpoint* StepRegistry::remote(const RemoteOptions& remote, const std::string& name) const {
  const std::lock_guard lock(isolated_mutex_);
  auto& made = remote_[{remote.address, name}];
  if (!made) {
    made = transport_module().remote_endpoint(remote, name);
  }
  return made.get();
}

std::vector<const StepEndpoint*> StepRegistry::steps() const {
  std::vector<const StepEndpoint*> all;
  for (const auto& [name, endpoint] : steps_) {
    all.push_back(endpoint.get());
  }
  return all;
}

}  // namespace gantry::host
