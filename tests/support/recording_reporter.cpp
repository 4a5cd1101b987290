#include "recording_reporter.hpp"

#include <algorithm>

namespace gantry::testing {

void RecordingReporter::add(std::string line) {
  const std::lock_guard lock(mutex_);
  lines_.push_back(std::move(line));
}

void RecordingReporter::run_started(const std::string& /*run_id*/, std::size_t step_count) {
  add("run " + std::to_string(step_count));
}

void RecordingReporter::step_started(const std::string& id, const std::string& /*uses*/) {
  add("started " + id);
}

void RecordingReporter::step_event(const std::string& id, const v1::RunEvent& event) {
  if (event.has_log()) {
    add("log " + id + " " + event.log().message());
  } else if (event.has_result()) {
    add("result " + id + " " + v1::Outcome_Name(event.result().outcome()));
  } else if (event.has_diagnostic()) {
    add("diagnostic " + id + " " + event.diagnostic().summary());
  }
}

void RecordingReporter::step_finished(const host::StepReport& report) {
  add("finished " + report.id + " " + host::state_name(report.state));
}

void RecordingReporter::run_finished(const host::RunSummary& summary) {
  add(std::string("run ") + (summary.succeeded() ? "succeeded" : "failed"));
}

std::vector<std::string> RecordingReporter::lines() const {
  const std::lock_guard lock(mutex_);
  return lines_;
}

int RecordingReporter::index_of(const std::string& line) const {
  const auto all = lines();
  const auto found = std::find(all.begin(), all.end(), line);
  return found == all.end() ? -1 : static_cast<int>(found - all.begin());
}

}  // namespace gantry::testing
