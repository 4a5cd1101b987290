#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "cache/step_cache.hpp"
#include "pipeline/plan.hpp"
#include "report/reporter.hpp"

namespace gantry::host {

struct SchedulerOptions {
  /// How many steps may run at once (at least 1).
  std::size_t jobs = 1;
  std::string run_id;
  /// Polled about every 50 ms; once true, running steps are cancelled and nothing new
  /// starts (Ctrl-C).
  std::function<bool()> interrupted = [] { return false; };
  /// The step cache (cache/step_cache.hpp); null runs every step.
  const StepCache* cache = nullptr;
  /// After a failure, let running steps finish and start every step that does not depend
  /// on the failed one (make -k); otherwise the first failure cancels the rest.
  bool keep_going = false;
};

/// Runs a plan: each step once everything it needs has succeeded, up to `jobs` at a
/// time, each on its own thread, with earlier steps' outputs substituted into its
/// parameters. The first failure cancels the steps still running and skips the rest
/// (with keep_going, only the steps that depend on it).
/// Everything that happens goes to `reporter`; the returned summary lists every step
/// in plan order.
[[nodiscard]] RunSummary run_plan(const Plan& plan, Reporter& reporter,
                                  const SchedulerOptions& options);

}  // namespace gantry::host
