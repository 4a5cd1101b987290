#include "report/tty_reporter.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "report/event_text.hpp"
#include "report/summary_table.hpp"

namespace gantry::host {
namespace {

constexpr const char* kFrames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

std::size_t terminal_width(std::FILE* out) {
  winsize size{};
  if (::ioctl(::fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 80;
}

/// Cuts `text` to at most `columns` characters, counting UTF-8 sequences as one.
std::string fit(const std::string& text, std::size_t columns) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == columns) {
        return text.substr(0, i);
      }
      ++seen;
    }
  }
  return text;
}

}  // namespace

TtyReporter::TtyReporter(Verbosity verbosity, std::FILE* out) : verbosity_(verbosity), out_(out) {
  ticker_ = std::jthread([this](const std::stop_token& stop) {
    while (!stop.stop_requested()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const std::lock_guard lock(mutex_);
      if (!running_.empty()) {
        ++frame_;
        clear_status();
        draw_status();
      }
    }
  });
}

TtyReporter::~TtyReporter() {
  ticker_.request_stop();
  ticker_.join();
  const std::lock_guard lock(mutex_);
  clear_status();
}

void TtyReporter::clear_status() {
  for (; drawn_lines_ > 0; --drawn_lines_) {
    std::fputs("\x1b[1A\x1b[2K", out_);
  }
}

void TtyReporter::draw_status() {
  const auto width = terminal_width(out_);
  const auto now = std::chrono::steady_clock::now();
  for (const auto& step : running_) {
    const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - step.started);
    std::string text = std::string(kFrames[frame_ % std::size(kFrames)]) + " " + step.id + " (" +
                       step.uses + ") " + duration_text(elapsed);
    if (!step.bar.empty()) {
      text += "  " + step.bar;
    }
    if (!step.progress.empty()) {
      text += "  " + step.progress;
    }
    std::fputs(fit(text, width - 1).c_str(), out_);
    std::fputc('\n', out_);
    ++drawn_lines_;
  }
  std::fflush(out_);
}

void TtyReporter::print_line(const std::string& text) {
  clear_status();
  std::fputs(text.c_str(), out_);
  std::fputc('\n', out_);
  draw_status();
}

void TtyReporter::run_started(const std::string& /*run_id*/, std::size_t /*step_count*/) {}

void TtyReporter::step_started(const std::string& id, const std::string& uses) {
  const std::lock_guard lock(mutex_);
  running_.push_back({id, uses, std::chrono::steady_clock::now(), {}, {}});
  clear_status();
  draw_status();
}

void TtyReporter::step_event(const std::string& id, const v1::RunEvent& event) {
  const std::lock_guard lock(mutex_);
  if (event.has_progress()) {
    for (auto& step : running_) {
      if (step.id == id) {
        step.progress = progress_text(event.progress());
        step.bar = progress_bar(event.progress());
      }
    }
    return;  // the ticker redraws
  }
  if (event.has_artifact()) {
    artifacts_[id].push_back(event.artifact());
  }
  if (const auto text = event_text(event, verbosity_)) {
    print_line("[" + id + "] " + *text);
  }
}

void TtyReporter::step_finished(const StepReport& report) {
  const std::lock_guard lock(mutex_);
  running_.erase(std::remove_if(running_.begin(), running_.end(),
                                [&](const Running& step) { return step.id == report.id; }),
                 running_.end());
  const char* mark = report.state == StepState::kSucceeded ? "\x1b[32m✓\x1b[0m"
                     : report.state == StepState::kSkipped ? "\x1b[33m-\x1b[0m"
                                                           : "\x1b[31m✗\x1b[0m";
  if (verbosity_ != Verbosity::kQuiet || report.state == StepState::kFailed) {
    print_line(std::string(mark) + " " + report.id + " (" + report.uses + ") " +
               finish_text(report));
  } else {
    clear_status();
    draw_status();
  }
}

void TtyReporter::run_finished(const RunSummary& summary) {
  const std::lock_guard lock(mutex_);
  clear_status();
  if (verbosity_ != Verbosity::kQuiet) {
    std::fputc('\n', out_);
    for (const auto& line : summary_table(summary, artifacts_)) {
      std::fputs((line + "\n").c_str(), out_);
    }
  }
  std::fflush(out_);
}

}  // namespace gantry::host
