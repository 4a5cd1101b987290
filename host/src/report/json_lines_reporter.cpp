#include "report/json_lines_reporter.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "gantry/sdk/error.hpp"

namespace gantry::host {

JsonLinesReporter::JsonLinesReporter(const std::string& run_id,
                                     std::shared_ptr<spdlog::logger> logger)
    : json_(run_id), logger_(std::move(logger)) {
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::trace);
  logger_->flush_on(spdlog::level::trace);
  // In place of spdlog's own "[*** LOG ERROR ***]" line on every failure.
  logger_->set_error_handler([this](const std::string& message) { failed(message); });
}

void JsonLinesReporter::failed(const std::string& message) {
  const std::lock_guard lock(mutex_);
  if (write_error_.empty()) {
    // spdlog says "Failed writing to file <path>: <reason>"; the path is known.
    const auto reason = message.rfind(": ");
    write_error_ = reason == std::string::npos ? message : message.substr(reason + 2);
  }
}

std::string JsonLinesReporter::write_error() const {
  const std::lock_guard lock(mutex_);
  return write_error_;
}

std::unique_ptr<JsonLinesReporter> JsonLinesReporter::to_stdout(const std::string& run_id) {
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  return std::unique_ptr<JsonLinesReporter>(
      new JsonLinesReporter(run_id, std::make_shared<spdlog::logger>("json", sink)));
}

std::unique_ptr<JsonLinesReporter> JsonLinesReporter::to_file(const std::string& run_id,
                                                              const std::filesystem::path& file) {
  std::shared_ptr<spdlog::sinks::basic_file_sink_mt> sink;
  try {
    // Appends to the file as it is: the caller chose where it lives and its mode.
    sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(file.string(), false);
  } catch (const std::exception& error) {
    throw Error("cannot write the run's event log " + file.string() + ": " + error.what(),
                "Make the project directory writable, or run gantry from another directory.");
  }
  return std::unique_ptr<JsonLinesReporter>(
      new JsonLinesReporter(run_id, std::make_shared<spdlog::logger>("events", sink)));
}

void JsonLinesReporter::write(const nlohmann::ordered_json& json) {
  // Replace invalid UTF-8 (a command's raw output) rather than fail the run.
  logger_->info(json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

void JsonLinesReporter::run_started(const std::string& run_id, std::size_t step_count) {
  write(json_.run_started(step_count, run_id));
}

void JsonLinesReporter::step_started(const std::string& id, const std::string& uses) {
  write(json_.step_started(id, uses));
}

void JsonLinesReporter::step_event(const std::string& id, const v1::RunEvent& event) {
  write(json_.step_event(id, event));
}

void JsonLinesReporter::step_finished(const StepReport& report) {
  write(json_.step_finished(report));
}

void JsonLinesReporter::run_finished(const RunSummary& summary) {
  write(json_.run_finished(summary));
}

}  // namespace gantry::host
