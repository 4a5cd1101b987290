#include "transport/remote_step_endpoint.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>

#include "gantry/sdk/error.hpp"
#include "gantry/sdk/event_sink.hpp"
#include "gantry/sdk/step_runner.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/v1/runner.grpc.pb.h"
#include "pipeline/invalid_pipeline.hpp"
#include "transport/bearer_token.hpp"
#include "transport/remote_run.hpp"
#include "transport/runner_channel.hpp"

namespace gantry::host {
namespace {

void emit_value(YAML::Emitter& out, const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kStringValue:
      out << YAML::DoubleQuoted << value.string_value();
      break;
    case v1::Value::kIntValue:
      out << value.int_value();
      break;
    case v1::Value::kBoolValue:
      out << value.bool_value();
      break;
    case v1::Value::kListValue:
      out << YAML::BeginSeq;
      for (const auto& item : value.list_value().items()) {
        out << YAML::DoubleQuoted << item;
      }
      out << YAML::EndSeq;
      break;
    case v1::Value::kMapValue: {
      const std::map<std::string, std::string> sorted(value.map_value().entries().begin(),
                                                      value.map_value().entries().end());
      out << YAML::BeginMap;
      for (const auto& [name, text] : sorted) {
        out << YAML::Key << YAML::DoubleQuoted << name << YAML::Value << YAML::DoubleQuoted << text;
      }
      out << YAML::EndMap;
      break;
    }
    default:
      out << YAML::Null;
      break;
  }
}

/// The remote run's events for the one step, into the local step's sink.
class SinkReporter final : public Reporter {
 public:
  explicit SinkReporter(sdk::EventSink& sink) : sink_(sink) {}
  void run_started(const std::string& /*run_id*/, std::size_t /*step_count*/) override {}
  void step_started(const std::string& /*id*/, const std::string& /*uses*/) override {}
  void step_event(const std::string& /*id*/, const v1::RunEvent& event) override {
    if (event.has_result()) {
      result_ = event.result();
      return;  // emitted last, once the artifacts are here
    }
    sink_.emit(event);
  }
  void step_finished(const StepReport& report) override {
    if (!result_ && report.state == StepState::kSkipped) {
      v1::Result skipped;
      skipped.set_outcome(v1::OUTCOME_FAILED);
      skipped.set_message("the runner skipped the step: " + report.skip_reason);
      result_ = skipped;
    }
  }
  void run_finished(const RunSummary& /*summary*/) override {}

  [[nodiscard]] const std::optional<v1::Result>& result() const { return result_; }

 private:
  sdk::EventSink& sink_;
  std::optional<v1::Result> result_;
};

v1::Result ended(sdk::EventSink& sink, v1::Result result) {
  v1::RunEvent event;
  event.set_time_unix_micros(sdk::now_unix_micros());
  *event.mutable_result() = result;
  sink.emit(event);
  return result;
}

v1::Result failed(sdk::EventSink& sink, const std::string& message, const std::string& resolution) {
  v1::Result result;
  result.set_outcome(v1::OUTCOME_FAILED);
  result.set_message(message);
  result.set_resolution(resolution);
  return ended(sink, result);
}

}  // namespace

std::vector<v1::StepDescription> runner_steps(const RemoteOptions& remote) {
  const auto stub = v1::Runner::NewStub(runner_channel(remote));
  grpc::ClientContext context;
  attach_token(context, remote.token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::ListStepsResponse response;
  const auto status = stub->ListSteps(&context, {}, &response);
  if (!status.ok()) {
    throw_runner_error(remote, status);
  }
  return {response.steps().begin(), response.steps().end()};
}

std::string one_step_pipeline(const std::string& step_id, const std::string& step_name,
                              const google::protobuf::Map<std::string, v1::Value>& params) {
  YAML::Emitter out;
  out << YAML::BeginMap << YAML::Key << "steps" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << step_id << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "uses" << YAML::Value << step_name;
  if (!params.empty()) {
    const std::map<std::string, v1::Value> sorted(params.begin(), params.end());
    out << YAML::Key << "with" << YAML::Value << YAML::BeginMap;
    for (const auto& [name, value] : sorted) {
      out << YAML::Key << name << YAML::Value;
      emit_value(out, value);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

RemoteStepEndpoint::RemoteStepEndpoint(RemoteOptions remote, const std::string& step)
    : remote_(std::move(remote)), channel_(runner_channel(remote_)) {
  for (auto& description : runner_steps(remote_)) {
    if (description.name() == step) {
      description_ = std::move(description);
      return;
    }
  }
  throw Error("the runner at " + remote_.address + " offers no step '" + step + "'",
              "Install the step's plugin on the runner, or remove `runs-on:`.");
}

v1::Result RemoteStepEndpoint::run(const v1::RunRequest& request, sdk::EventSink& sink) {
  if (sink.cancelled()) {
    v1::Result cancelled;
    cancelled.set_outcome(v1::OUTCOME_CANCELLED);
    cancelled.set_message("cancelled");
    return ended(sink, cancelled);
  }
  // Checked here, against the runner's description, as every transport checks them: a
  // Diagnostic naming each wrong parameter, before anything is sent.
  if (const auto problems = sdk::check_params(description_, request.params()); !problems.empty()) {
    for (const auto& problem : problems) {
      v1::RunEvent event;
      event.set_time_unix_micros(sdk::now_unix_micros());
      *event.mutable_diagnostic() = problem;
      sink.emit(event);
    }
    return failed(
        sink, "invalid parameters for step '" + description_.name() + "'",
        "Run `gantry plugins --remote " + remote_.address + "` to see the runner's steps.");
  }
  const std::string step_id = request.step_id().empty() ? description_.name() : request.step_id();
  RemoteRun remote_run;
  remote_run.remote = remote_;
  remote_run.pipeline_file =
      std::filesystem::path(request.working_directory()) / ".gantry-remote-step.yaml";
  remote_run.pipeline_text = one_step_pipeline(step_id, description_.name(), request.params());
  SinkReporter reporter(sink);
  try {
    const auto summary = run_remote(
        remote_run, reporter, [&sink] { return sink.cancelled(); }, channel_);
    if (summary.interrupted) {
      v1::Result cancelled;
      cancelled.set_outcome(v1::OUTCOME_CANCELLED);
      cancelled.set_message("cancelled");
      return ended(sink, cancelled);
    }
  } catch (const InvalidPipeline& invalid) {
    std::string problems;
    for (const auto& problem : invalid.problems()) {
      problems += (problems.empty() ? "" : "; ") + problem.message;
    }
    return failed(sink, "the runner at " + remote_.address + " refused the step: " + problems,
                  "Check the step's parameters against the runner's `gantry describe`.");
  } catch (const Error& error) {
    return failed(sink, error.what(), error.resolution());
  }
  if (!reporter.result()) {
    return failed(sink, "the runner at " + remote_.address + " ended the step without a result",
                  "See the runner's log.");
  }
  return ended(sink, *reporter.result());
}

}  // namespace gantry::host
