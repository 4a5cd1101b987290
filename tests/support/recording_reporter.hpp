#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "report/reporter.hpp"

namespace gantry::testing {

/// Remembers what a run reported, in order, as "kind step detail" lines:
/// "started build", "log build hello", "finished build succeeded".
class RecordingReporter final : public host::Reporter {
 public:
  void run_started(const std::string& run_id, std::size_t step_count) override;
  void step_started(const std::string& id, const std::string& uses) override;
  void step_event(const std::string& id, const v1::RunEvent& event) override;
  void step_finished(const host::StepReport& report) override;
  void run_finished(const host::RunSummary& summary) override;

  [[nodiscard]] std::vector<std::string> lines() const;
  /// Where `line` first appears in lines(), or -1.
  [[nodiscard]] int index_of(const std::string& line) const;

 private:
  void add(std::string line);
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace gantry::testing
