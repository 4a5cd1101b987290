#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/reporter.hpp"

namespace gantry::host {

/// The JSON objects of `--output json` and of .gantry/runs/<id>/events.jsonl: one per
/// event, each with "time" (RFC 3339, UTC), "run", "event" and, for step events, "step".
/// Field names are stable: scripts parse them.
class EventJson {
 public:
  explicit EventJson(std::string run_id) : run_id_(std::move(run_id)) {}

  /// `carried_by`: the id of the run that carries it out, when another (a runner's).
  [[nodiscard]] nlohmann::ordered_json run_started(std::size_t step_count,
                                                   const std::string& carried_by = "") const;
  [[nodiscard]] nlohmann::ordered_json step_started(const std::string& id,
                                                    const std::string& uses) const;
  [[nodiscard]] nlohmann::ordered_json step_event(const std::string& id,
                                                  const v1::RunEvent& event) const;
  [[nodiscard]] nlohmann::ordered_json step_finished(const StepReport& report) const;
  [[nodiscard]] nlohmann::ordered_json run_finished(const RunSummary& summary) const;

 private:
  [[nodiscard]] nlohmann::ordered_json base(const char* event, std::int64_t unix_micros) const;
  std::string run_id_;
};

/// RFC 3339 UTC time with microseconds: 2026-11-25T01:17:31.123456Z.
[[nodiscard]] std::string format_time(std::int64_t unix_micros);

}  // namespace gantry::host
