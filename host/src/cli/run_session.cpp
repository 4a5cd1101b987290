#include "cli/run_session.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <iostream>
#include <random>
#include <thread>

#include "cli/usage_error.hpp"
#include "gantry/sdk/file_error.hpp"
#include "report/fan_out_reporter.hpp"
#include "report/json_lines_reporter.hpp"
#include "report/plain_reporter.hpp"
#include "report/run_history.hpp"
#include "report/tty_reporter.hpp"
#include "scheduler/interrupt_guard.hpp"
#include "scheduler/scheduler.hpp"

namespace gantry::host {
namespace {

std::unique_ptr<Reporter> console_reporter(const OutputOptions& output, const std::string& run_id) {
  std::string mode = output.mode;
  if (mode == "auto") {
    mode = ::isatty(STDERR_FILENO) != 0 ? "tty" : "plain";
  }
  if (mode == "tty") {
    return std::make_unique<TtyReporter>(output.verbosity);
  }
  if (mode == "plain") {
    return std::make_unique<PlainReporter>(output.verbosity);
  }
  if (mode == "json") {
    return JsonLinesReporter::to_stdout(run_id);
  }
  throw UsageError("unknown output mode '" + output.mode + "'",
                   "Use --output auto, tty, plain or json.");
}

/// What to do about a file error known by its text (spdlog passes on strerror's).
std::string resolution_for(const std::string& reason) {
  for (const int error : {ENOSPC, EDQUOT, EFBIG, EACCES, EPERM, EROFS, EIO}) {
    if (reason == std::strerror(error)) {
      return sdk::file_error_resolution(error);
    }
  }
  return "";
}

void print_failure(const RunSummary& summary, const std::filesystem::path& log_file,
                   const std::string& log_error) {
  for (const auto& step : summary.steps) {
    if (step.state != StepState::kFailed) {
      continue;
    }
    std::cerr << "error: step '" << step.id << "' (" << step.uses
              << ") failed: " << step.result.message() << "\n";
    if (!step.result.resolution().empty()) {
      std::cerr << "Recommended resolution: " << step.result.resolution() << "\n";
    }
  }
  if (summary.interrupted) {
    std::cerr << "error: interrupted\n";
  }
  std::cerr << "Full execution log: '" << log_file.string() << "'";
  if (!log_error.empty()) {
    std::cerr << " (incomplete: " << log_error << ")";
  }
  std::cerr << "\n";
}

}  // namespace

std::string new_run_id() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  thread_local std::random_device random;  // opened once per thread, not per id
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%06x", random() & 0xFFFFFFu);
  return std::string(stamp) + suffix;
}

ExitCode run_session(const Plan& plan, const RunSettings& settings) {
  return report_session(
      plan.working_directory, settings,
      [&](Reporter& reporter, const std::string& run_id, const std::function<bool()>& interrupted) {
        SchedulerOptions options;
        options.jobs = settings.jobs;
        options.keep_going = settings.keep_going;
        options.run_id = run_id;
        options.interrupted = interrupted;
        const auto cache = StepCache::in(plan.working_directory);
        if (settings.use_cache) {
          options.cache = &cache;
        }
        return run_plan(plan, reporter, options);
      });
}

ExitCode report_session(const std::filesystem::path& working_directory, const RunSettings& settings,
                        const RunExecutor& execute) {
  const std::string run_id = new_run_id();
  const RunHistory history(working_directory);
  const std::size_t kept_runs = RunHistory::kept_from_environment();
  const RunLog log = history.create_log(run_id);
  const auto& log_file = log.file();
  // Older runs are removed while this one goes on: their unlinks cost ~0.5 ms on ext4.
  const std::jthread pruning([&history, kept_runs] {
    try {
      history.prune(kept_runs);
    } catch (...) {
      // a log left behind is removed by the next run
    }
  });
  FanOutReporter reporter;
  reporter.add(console_reporter(settings.output, run_id));
  auto file_log = JsonLinesReporter::to_file(run_id, log_file);
  const JsonLinesReporter& event_log = *file_log;
  reporter.add(std::move(file_log));

  const InterruptGuard interrupt;
  const RunSummary summary = execute(reporter, run_id, &InterruptGuard::interrupted);
  const std::string log_error = event_log.write_error();
  if (!log_error.empty()) {
    std::cerr << "warning: the run's event log " << log_file.string()
              << " is incomplete: " << log_error << "\n";
    if (const auto what_to_do = resolution_for(log_error); !what_to_do.empty()) {
      std::cerr << "Recommended resolution: " << what_to_do << "\n";
    }
  }

  // In JSON mode stdout is the event stream; outputs are in its step-finished events.
  if (settings.print_outputs && settings.output.mode != "json") {
    for (const auto& step : summary.steps) {
      if (!step.result.report().empty()) {
        std::cout << step.result.report();  // a document to read or save, printed as written
        continue;
      }
      const std::map<std::string, std::string> sorted(step.result.outputs().begin(),
                                                      step.result.outputs().end());
      for (const auto& [name, value] : sorted) {
        std::cout << name << "=" << value << "\n";
      }
    }
    std::cout.flush();
  }
  if (summary.interrupted) {
    print_failure(summary, log_file, log_error);
    return ExitCode::kInterrupted;
  }
  if (!summary.succeeded()) {
    print_failure(summary, log_file, log_error);
    return ExitCode::kStepFailed;
  }
  return ExitCode::kOk;
}

}  // namespace gantry::host
