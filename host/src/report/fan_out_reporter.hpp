#pragma once

#include <memory>
#include <vector>

#include "report/reporter.hpp"

namespace gantry::host {

/// Passes every call on to each of several reporters, in the order they were added.
class FanOutReporter final : public Reporter {
 public:
  void add(std::unique_ptr<Reporter> reporter) { reporters_.push_back(std::move(reporter)); }

  void run_started(const std::string& run_id, std::size_t step_count) override {
    for (auto& reporter : reporters_) {
      reporter->run_started(run_id, step_count);
    }
  }
  void step_started(const std::string& id, const std::string& uses) override {
    for (auto& reporter : reporters_) {
      reporter->step_started(id, uses);
    }
  }
  void step_event(const std::string& id, const v1::RunEvent& event) override {
    for (auto& reporter : reporters_) {
      reporter->step_event(id, event);
    }
  }
  void step_finished(const StepReport& report) override {
    for (auto& reporter : reporters_) {
      reporter->step_finished(report);
    }
  }
  void run_finished(const RunSummary& summary) override {
    for (auto& reporter : reporters_) {
      reporter->run_finished(summary);
    }
  }

 private:
  std::vector<std::unique_ptr<Reporter>> reporters_;
};

}  // namespace gantry::host
