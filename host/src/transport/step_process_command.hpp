#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "plugins/step_endpoint.hpp"

namespace gantry::host {

/// What to start for a step process.
struct StepProcessCommand {
  /// The plugin the user put on the plugin path (a library or an executable): messages name it.
  std::filesystem::path plugin;
  /// The program to start and its argv (argv[0] included).
  std::filesystem::path executable;
  std::vector<std::string> argv;
  StepTransport transport = StepTransport::kProcess;
};

}  // namespace gantry::host
