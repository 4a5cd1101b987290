#include "report/plain_reporter.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include "report/event_text.hpp"
#include "report/summary_table.hpp"

namespace gantry::host {

PlainReporter::PlainReporter(Verbosity verbosity)
    : verbosity_(verbosity),
      logger_(std::make_shared<spdlog::logger>("plain",
                                               std::make_shared<spdlog::sinks::stderr_sink_mt>())) {
  logger_->set_pattern("%Y-%m-%d %H:%M:%S.%e %v");
  logger_->flush_on(spdlog::level::info);
}

void PlainReporter::line(const std::string& step, const std::string& text) {
  logger_->info("[{}] {}", step, text);
}

void PlainReporter::run_started(const std::string& run_id, std::size_t step_count) {
  if (verbosity_ >= Verbosity::kVerbose) {
    logger_->info("run {}: {} step(s)", run_id, step_count);
  }
}

void PlainReporter::step_started(const std::string& id, const std::string& uses) {
  if (verbosity_ != Verbosity::kQuiet) {
    line(id, "started (" + uses + ")");
  }
}

void PlainReporter::step_event(const std::string& id, const v1::RunEvent& event) {
  if (event.has_progress()) {
    if (verbosity_ == Verbosity::kQuiet) {
      return;
    }
    const auto now = std::chrono::steady_clock::now();
    {
      const std::lock_guard lock(mutex_);
      auto& last = last_progress_[id];
      const bool done =
          event.progress().total() > 0 && event.progress().current() >= event.progress().total();
      if (!done && now - last < std::chrono::seconds(2)) {
        return;
      }
      last = now;
    }
    line(id, progress_text(event.progress()));
    return;
  }
  if (event.has_artifact()) {
    const std::lock_guard lock(mutex_);
    artifacts_[id].push_back(event.artifact());
  }
  if (const auto text = event_text(event, verbosity_)) {
    line(id, *text);
  }
}

void PlainReporter::step_finished(const StepReport& report) {
  if (verbosity_ != Verbosity::kQuiet || report.state == StepState::kFailed) {
    line(report.id, finish_text(report));
  }
}

void PlainReporter::run_finished(const RunSummary& summary) {
  if (verbosity_ == Verbosity::kQuiet || summary.steps.size() < 2) {
    return;  // one step: its own lines already say it all
  }
  const std::lock_guard lock(mutex_);
  for (const auto& line : summary_table(summary, artifacts_)) {
    logger_->info("{}", line);
  }
}

}  // namespace gantry::host
