#pragma once

#include <spdlog/logger.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "report/event_json.hpp"
#include "report/reporter.hpp"

namespace gantry::host {

/// Writes one JSON object per event and line: to stdout for `--output json`, and to the
/// run's events.jsonl. Lines are flushed as written, so a crash loses nothing said. A line
/// that cannot be written (a full disk) does not stop the run: why the first one failed is
/// kept for write_error(), for the caller to say when the run has ended (not while a
/// console reporter draws).
class JsonLinesReporter final : public Reporter {
 public:
  /// To standard output.
  static std::unique_ptr<JsonLinesReporter> to_stdout(const std::string& run_id);
  /// To `file` (its directory is made). Throws gantry::Error when it cannot be written.
  static std::unique_ptr<JsonLinesReporter> to_file(const std::string& run_id,
                                                    const std::filesystem::path& file);

  void run_started(const std::string& run_id, std::size_t step_count) override;
  void step_started(const std::string& id, const std::string& uses) override;
  void step_event(const std::string& id, const v1::RunEvent& event) override;
  void step_finished(const StepReport& report) override;
  void run_finished(const RunSummary& summary) override;

  /// Why a line could not be written, or empty when every line was.
  [[nodiscard]] std::string write_error() const;

 private:
  JsonLinesReporter(const std::string& run_id, std::shared_ptr<spdlog::logger> logger);
  void write(const nlohmann::ordered_json& json);
  void failed(const std::string& message);

  EventJson json_;
  mutable std::mutex mutex_;
  std::string write_error_;
  // shared_ptr because spdlog hands loggers out that way.
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace gantry::host
