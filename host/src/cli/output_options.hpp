#pragma once

#include <string>

#include "report/verbosity.hpp"

namespace gantry::host {

/// How a run shows itself: --output and --verbosity as given on the command line.
struct OutputOptions {
  /// "auto" (tty on a terminal, plain otherwise), "tty", "plain" or "json".
  std::string mode = "auto";
  Verbosity verbosity = Verbosity::kBrief;
};

}  // namespace gantry::host
