#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "report/reporter.hpp"
#include "report/verbosity.hpp"

namespace gantry::host {

/// The line a person sees for a step's event, or nullopt when `verbosity` hides it.
/// Progress and results are not lines: reporters show them their own way.
[[nodiscard]] std::optional<std::string> event_text(const v1::RunEvent& event, Verbosity verbosity);

/// "3/10 MB", "42 packages", "7/9": a progress count for people.
[[nodiscard]] std::string progress_text(const v1::Progress& progress);
/// "[#####.....] 50%" for progress with a total; empty without one.
[[nodiscard]] std::string progress_bar(const v1::Progress& progress, std::size_t width = 20);
/// "24.2 MiB".
[[nodiscard]] std::string bytes_text(std::uint64_t bytes);

/// "1.23s", "2m05s".
[[nodiscard]] std::string duration_text(std::chrono::milliseconds elapsed);

/// The closing line of a step: "succeeded in 1.20s", "failed in 0.50s: <message>".
[[nodiscard]] std::string finish_text(const StepReport& report);

}  // namespace gantry::host
