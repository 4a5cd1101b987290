#include "report/event_json.hpp"

#include <ctime>

#include "gantry/sdk/event_sink.hpp"

namespace gantry::host {
namespace {

std::string lower_enum_name(const std::string& name, std::size_t prefix) {
  std::string text = name.size() > prefix ? name.substr(prefix) : name;
  for (auto& c : text) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

std::string format_time(std::int64_t unix_micros) {
  const std::time_t seconds = unix_micros / 1'000'000;
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char buffer[40];
  const auto length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
  char micros[16];
  std::snprintf(micros, sizeof micros, ".%06lldZ", static_cast<long long>(unix_micros % 1'000'000));
  return std::string(buffer, length) + micros;
}

nlohmann::ordered_json EventJson::base(const char* event, std::int64_t unix_micros) const {
  return {{"time", format_time(unix_micros)}, {"run", run_id_}, {"event", event}};
}

nlohmann::ordered_json EventJson::run_started(std::size_t step_count,
                                              const std::string& carried_by) const {
  auto json = base("run-started", sdk::now_unix_micros());
  json["steps"] = step_count;
  if (!carried_by.empty() && carried_by != run_id_) {
    json["remote_run"] = carried_by;  // the runner's id for it: `gantry cancel` takes it
  }
  return json;
}

nlohmann::ordered_json EventJson::step_started(const std::string& id,
                                               const std::string& uses) const {
  auto json = base("step-started", sdk::now_unix_micros());
  json["step"] = id;
  json["uses"] = uses;
  return json;
}

nlohmann::ordered_json EventJson::step_event(const std::string& id,
                                             const v1::RunEvent& event) const {
  const auto time =
      event.time_unix_micros() != 0 ? event.time_unix_micros() : sdk::now_unix_micros();
  nlohmann::ordered_json json;
  switch (event.event_case()) {
    case v1::RunEvent::kLog:
      json = base("log", time);
      json["level"] = lower_enum_name(v1::LogLevel_Name(event.log().level()), 10);
      if (event.log().stream() != v1::LOG_STREAM_UNSPECIFIED) {
        json["stream"] = lower_enum_name(v1::LogStream_Name(event.log().stream()), 11);
      }
      json["message"] = event.log().message();
      break;
    case v1::RunEvent::kProgress:
      json = base("progress", time);
      json["label"] = event.progress().label();
      json["current"] = event.progress().current();
      json["total"] = event.progress().total();
      json["unit"] = event.progress().unit();
      break;
    case v1::RunEvent::kArtifact:
      json = base("artifact", time);
      json["kind"] = event.artifact().kind();
      json["path"] = event.artifact().path();
      json["reference"] = event.artifact().reference();
      json["digest"] = event.artifact().digest();
      json["size"] = event.artifact().size();
      break;
    case v1::RunEvent::kDiagnostic: {
      const auto& diagnostic = event.diagnostic();
      json = base("diagnostic", time);
      json["severity"] = lower_enum_name(v1::Severity_Name(diagnostic.severity()), 9);
      json["summary"] = diagnostic.summary();
      json["detail"] = diagnostic.detail();
      json["file"] = diagnostic.file();
      json["line"] = diagnostic.line();
      json["column"] = diagnostic.column();
      json["param"] = diagnostic.param();
      break;
    }
    case v1::RunEvent::kResult:
      json = base("result", time);
      json["outcome"] = lower_enum_name(v1::Outcome_Name(event.result().outcome()), 8);
      json["message"] = event.result().message();
      json["outputs"] = nlohmann::ordered_json::object();
      for (const auto& [name, value] : event.result().outputs()) {
        json["outputs"][name] = value;
      }
      if (!event.result().report().empty()) {
        json["report"] = event.result().report();
      }
      break;
    default:
      json = base("unknown", time);
      break;
  }
  json["step"] = id;
  return json;
}

nlohmann::ordered_json EventJson::step_finished(const StepReport& report) const {
  auto json = base("step-finished", sdk::now_unix_micros());
  json["step"] = report.id;
  json["uses"] = report.uses;
  json["state"] = state_name(report.state);
  json["elapsed_ms"] = report.elapsed.count();
  json["cached"] = report.cached;
  json["up_to_date"] = report.result.up_to_date();
  if (report.state == StepState::kSkipped) {
    json["reason"] = report.skip_reason;
  } else {
    json["message"] = report.result.message();
    json["resolution"] = report.result.resolution();
    json["outputs"] = nlohmann::ordered_json::object();
    for (const auto& [name, value] : report.result.outputs()) {
      json["outputs"][name] = value;
    }
    if (!report.result.report().empty()) {
      json["report"] = report.result.report();
    }
  }
  return json;
}

nlohmann::ordered_json EventJson::run_finished(const RunSummary& summary) const {
  auto json = base("run-finished", sdk::now_unix_micros());
  json["succeeded"] = summary.succeeded();
  json["interrupted"] = summary.interrupted;
  json["elapsed_ms"] = summary.elapsed.count();
  return json;
}

}  // namespace gantry::host
