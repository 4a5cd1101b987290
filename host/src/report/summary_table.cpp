#include "report/summary_table.hpp"

#include <algorithm>
#include <array>

#include "report/event_text.hpp"

namespace gantry::host {
namespace {

using Row = std::array<std::string, 5>;

std::string status_of(const StepReport& report) {
  switch (report.state) {
    case StepState::kSucceeded:
      return report.cached ? "cached" : report.result.up_to_date() ? "up to date" : "ok";
    case StepState::kSkipped:
      return "skipped";
    case StepState::kCancelled:
      return "cancelled";
    case StepState::kFailed:
      return "failed";
  }
  return {};
}

/// "sha256:0123456789ab" (the first 12 hex digits, enough to recognise it).
std::string short_digest(const std::string& digest) {
  const auto colon = digest.find(':');
  return colon == std::string::npos ? digest : digest.substr(0, colon + 13);
}

}  // namespace

std::vector<std::string> summary_table(const RunSummary& summary,
                                       const ArtifactsByStep& artifacts) {
  std::vector<Row> rows{{"STEP", "STATUS", "TIME", "ARTIFACT", "DIGEST / SIZE"}};
  for (const auto& step : summary.steps) {
    rows.push_back({step.id + " (" + step.uses + ")", status_of(step),
                    step.state == StepState::kSkipped ? "" : duration_text(step.elapsed), "", ""});
    if (const auto found = artifacts.find(step.id); found != artifacts.end()) {
      for (const auto& artifact : found->second) {
        const std::string where = artifact.path().empty() ? artifact.reference() : artifact.path();
        std::string detail = short_digest(artifact.digest());
        if (artifact.size() > 0) {
          detail += (detail.empty() ? "" : "  ") + bytes_text(artifact.size());
        }
        rows.push_back({"", "", "", artifact.kind() + " " + where, detail});
      }
    }
  }
  std::array<std::size_t, 5> widths{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  std::vector<std::string> lines;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line += std::string(widths[i] - row[i].size() + 2, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    lines.push_back(line);
  }
  return lines;
}

}  // namespace gantry::host
