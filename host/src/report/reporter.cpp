#include "report/reporter.hpp"

#include <algorithm>

namespace gantry::host {

const char* state_name(StepState state) {
  switch (state) {
    case StepState::kSucceeded:
      return "succeeded";
    case StepState::kFailed:
      return "failed";
    case StepState::kCancelled:
      return "cancelled";
    case StepState::kSkipped:
      return "skipped";
  }
  return "unknown";
}

bool RunSummary::succeeded() const {
  return !interrupted && std::all_of(steps.begin(), steps.end(), [](const StepReport& step) {
    return step.state == StepState::kSucceeded;
  });
}

Reporter::~Reporter() = default;

}  // namespace gantry::host
