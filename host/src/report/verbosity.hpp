#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gantry/v1/step.pb.h"

namespace gantry::host {

/// How much a run prints, as the craft tools spell it.
enum class Verbosity { kQuiet, kBrief, kVerbose, kDebug, kTrace };

/// Parses "quiet", "brief", "verbose", "debug" or "trace"; nullopt for anything else.
[[nodiscard]] std::optional<Verbosity> parse_verbosity(std::string_view text);

/// Whether a step's log line of `level` is shown at `verbosity`.
[[nodiscard]] bool shows(Verbosity verbosity, v1::LogLevel level);

}  // namespace gantry::host
