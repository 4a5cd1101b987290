#include "report/event_text.hpp"

#include <cstdio>

#include "gantry/sdk/error.hpp"

namespace gantry::host {

std::string bytes_text(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return buffer;
}

std::string progress_bar(const v1::Progress& progress, std::size_t width) {
  if (progress.total() == 0 || width < 3) {
    return {};
  }
  const auto done = std::min(progress.current(), progress.total());
  const auto filled = static_cast<std::size_t>(done * width / progress.total());
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] " +
         std::to_string(done * 100 / progress.total()) + "%";
}

std::string progress_text(const v1::Progress& progress) {
  std::string count;
  if (progress.unit() == "bytes") {
    count = bytes_text(progress.current());
    if (progress.total() > 0) {
      count += " / " + bytes_text(progress.total());
    }
  } else {
    count = std::to_string(progress.current());
    if (progress.total() > 0) {
      count += "/" + std::to_string(progress.total());
    }
    if (!progress.unit().empty()) {
      count += " " + progress.unit();
    }
  }
  return progress.label().empty() ? count : progress.label() + " " + count;
}

std::string duration_text(std::chrono::milliseconds elapsed) {
  char buffer[32];
  const auto ms = elapsed.count();
  if (ms < 60'000) {
    std::snprintf(buffer, sizeof buffer, "%.2fs", static_cast<double>(ms) / 1000.0);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lldm%02llds", static_cast<long long>(ms / 60'000),
                  static_cast<long long>((ms / 1000) % 60));
  }
  return buffer;
}

std::optional<std::string> event_text(const v1::RunEvent& event, Verbosity verbosity) {
  switch (event.event_case()) {
    case v1::RunEvent::kLog:
      if (!shows(verbosity, event.log().level())) {
        return std::nullopt;
      }
      switch (event.log().level()) {
        case v1::LOG_LEVEL_WARNING:
          return "warning: " + event.log().message();
        case v1::LOG_LEVEL_ERROR:
          return "error: " + event.log().message();
        default:
          return event.log().message();
      }
    case v1::RunEvent::kDiagnostic: {
      const auto& diagnostic = event.diagnostic();
      std::string text = diagnostic.severity() == v1::SEVERITY_WARNING ? "warning: "
                         : diagnostic.severity() == v1::SEVERITY_NOTE  ? "note: "
                                                                       : "error: ";
      if (!diagnostic.file().empty()) {
        text +=
            SourcePosition{diagnostic.file(), diagnostic.line(), diagnostic.column()}.to_string() +
            ": ";
      }
      text += diagnostic.summary();
      if (!diagnostic.detail().empty()) {
        text += " (" + diagnostic.detail() + ")";
      }
      return text;
    }
    case v1::RunEvent::kArtifact: {
      const auto& artifact = event.artifact();
      if (verbosity == Verbosity::kQuiet) {
        return std::nullopt;
      }
      std::string text = "artifact " + artifact.kind() + ": " +
                         (artifact.path().empty() ? artifact.reference() : artifact.path());
      if (!artifact.digest().empty()) {
        text += " " + artifact.digest();
      }
      if (artifact.size() > 0) {
        text += " (" + bytes_text(artifact.size()) + ")";
      }
      return text;
    }
    default:
      return std::nullopt;
  }
}

std::string finish_text(const StepReport& report) {
  switch (report.state) {
    case StepState::kSucceeded:
      return "succeeded in " + duration_text(report.elapsed) +
             (report.cached                ? " (cached)"
              : report.result.up_to_date() ? " (up to date)"
                                           : "");
    case StepState::kSkipped:
      return "skipped: " + report.skip_reason;
    case StepState::kCancelled:
      return "cancelled after " + duration_text(report.elapsed);
    case StepState::kFailed:
      return "failed in " + duration_text(report.elapsed) + ": " + report.result.message();
  }
  return {};
}

}  // namespace gantry::host
