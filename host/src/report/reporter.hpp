#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "gantry/v1/step.pb.h"

namespace gantry::host {

/// Where a step of a run ended up.
enum class StepState { kSucceeded, kFailed, kCancelled, kSkipped };

/// "succeeded", "failed", "cancelled" or "skipped".
[[nodiscard]] const char* state_name(StepState state);

/// How one step of a run ended.
struct StepReport {
  std::string id;
  std::string uses;
  StepState state = StepState::kSkipped;
  v1::Result result;        ///< empty for skipped steps
  std::string skip_reason;  ///< why a skipped step did not run
  std::chrono::milliseconds elapsed{0};
  bool cached = false;  ///< its result came from the step cache
};

/// How a whole run ended.
struct RunSummary {
  std::string run_id;
  bool interrupted = false;
  std::vector<StepReport> steps;  ///< in plan order
  std::chrono::milliseconds elapsed{0};

  [[nodiscard]] bool succeeded() const;
};

/// Receives what happens during a run. Implementations are thread-safe: steps running
/// in parallel report from their own threads.
class Reporter {
 public:
  virtual ~Reporter();

  virtual void run_started(const std::string& run_id, std::size_t step_count) = 0;
  virtual void step_started(const std::string& id, const std::string& uses) = 0;
  virtual void step_event(const std::string& id, const v1::RunEvent& event) = 0;
  virtual void step_finished(const StepReport& report) = 0;
  virtual void run_finished(const RunSummary& summary) = 0;
};

}  // namespace gantry::host
