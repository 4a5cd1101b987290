#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

#include "report/reporter.hpp"
#include "report/verbosity.hpp"

namespace gantry::host {

/// Timestamped lines on standard error, one per event, for CI logs and pipes:
/// `2026-11-25 01:17:31.123 [build] message`. Progress is printed at most every 2 s
/// per step, so a download does not flood the log.
class PlainReporter final : public Reporter {
 public:
  explicit PlainReporter(Verbosity verbosity);

  void run_started(const std::string& run_id, std::size_t step_count) override;
  void step_started(const std::string& id, const std::string& uses) override;
  void step_event(const std::string& id, const v1::RunEvent& event) override;
  void step_finished(const StepReport& report) override;
  void run_finished(const RunSummary& summary) override;

 private:
  void line(const std::string& step, const std::string& text);

  Verbosity verbosity_;
  // shared_ptr because spdlog hands loggers out that way.
  std::shared_ptr<spdlog::logger> logger_;
  std::mutex mutex_;
  std::map<std::string, std::chrono::steady_clock::time_point> last_progress_;
  std::map<std::string, std::vector<v1::Artifact>> artifacts_;
};

}  // namespace gantry::host
