#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "report/reporter.hpp"
#include "report/verbosity.hpp"

namespace gantry::host {

/// For a terminal: log lines scroll as `[step] message`, and below them one live line
/// per running step (spinner, elapsed time, latest progress), redrawn ten times a second.
class TtyReporter final : public Reporter {
 public:
  /// Draws on `out`, which must be a terminal.
  explicit TtyReporter(Verbosity verbosity, std::FILE* out = stderr);
  ~TtyReporter() override;
  TtyReporter(const TtyReporter&) = delete;
  TtyReporter& operator=(const TtyReporter&) = delete;

  void run_started(const std::string& run_id, std::size_t step_count) override;
  void step_started(const std::string& id, const std::string& uses) override;
  void step_event(const std::string& id, const v1::RunEvent& event) override;
  void step_finished(const StepReport& report) override;
  void run_finished(const RunSummary& summary) override;

 private:
  struct Running {
    std::string id;
    std::string uses;
    std::chrono::steady_clock::time_point started;
    std::string progress;
    std::string bar;
  };

  // All of these expect mutex_ held.
  void clear_status();
  void draw_status();
  void print_line(const std::string& text);

  Verbosity verbosity_;
  std::FILE* out_;
  std::mutex mutex_;
  std::vector<Running> running_;
  std::map<std::string, std::vector<v1::Artifact>> artifacts_;
  std::size_t drawn_lines_ = 0;
  unsigned frame_ = 0;
  std::jthread ticker_;
};

}  // namespace gantry::host
