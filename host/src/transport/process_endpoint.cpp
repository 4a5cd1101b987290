#include "transport/process_endpoint.hpp"

#include <grpcpp/client_context.h>

#include "gantry/sdk/description.hpp"
#include "gantry/v1/step.grpc.pb.h"
#include "plugins/description_check.hpp"
#include "plugins/plugin_error.hpp"
#include "transport/call_canceller.hpp"

namespace gantry::host {
namespace {

constexpr auto kCancelPoll = std::chrono::milliseconds(20);
constexpr auto kDescribeDeadline = std::chrono::seconds(30);
/// How long a broken call waits for its process to be reaped, to say how it ended.
constexpr auto kEndPatience = std::chrono::seconds(2);

v1::Result finished(sdk::EventSink& sink, v1::Outcome outcome, std::string message,
                    std::string resolution) {
  v1::RunEvent event;
  event.set_time_unix_micros(sdk::now_unix_micros());
  auto& result = *event.mutable_result();
  result.set_outcome(outcome);
  result.set_message(std::move(message));
  result.set_resolution(std::move(resolution));
  try {
    sink.emit(event);
  } catch (...) {
    // The caller gets the result as the return value all the same.
  }
  return result;
}

void emit_stderr_line(sdk::EventSink& sink, const std::string& line) {
  v1::RunEvent event;
  event.set_time_unix_micros(sdk::now_unix_micros());
  auto& log = *event.mutable_log();
  log.set_level(v1::LOG_LEVEL_ERROR);
  log.set_stream(v1::LOG_STREAM_STDERR);
  log.set_message(line);
  try {
    sink.emit(event);
  } catch (...) {
    // Best effort: the Result that follows says what happened.
  }
}

/// `gantry-step-NAME` -> NAME, for executables; empty for a library.
std::string name_in_file(const StepProcessCommand& command) {
  constexpr std::string_view kPrefix = "gantry-step-";
  const std::string file = command.plugin.filename().string();
  if (command.transport != StepTransport::kExecutable || !file.starts_with(kPrefix)) {
    return {};
  }
  return file.substr(kPrefix.size());
}

/// The Describe call, checked as a loaded library's description is. Throws PluginError.
v1::StepDescription describe_through(StepProcess& process, const std::filesystem::path& plugin) {
  const auto stub = v1::Step::NewStub(process.channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kDescribeDeadline);
  v1::DescribeRequest request;
  request.set_protocol_version(sdk::kProtocolVersion);
  v1::StepDescription description;
  const auto status = stub->Describe(&context, request, &description);
  if (!status.ok()) {
    const auto end = process.ended(std::chrono::milliseconds(200));
    throw PluginError(plugin,
                      "its step process could not describe its step: " +
                          (end ? StepProcess::describe_end(*end) : status.error_message()),
                      "Run the plugin's own tests: its Describe call fails.");
  }
  if (description.protocol_version() != sdk::kProtocolVersion) {
    throw PluginError(plugin,
                      "step '" + description.name() + "' speaks step protocol version " +
                          std::to_string(description.protocol_version()) +
                          ", but this gantry speaks version " +
                          std::to_string(sdk::kProtocolVersion),
                      "Use a plugin release made for gantry.v1.");
  }
  if (const auto problem = description_problem(description)) {
    throw PluginError(plugin, *problem, "Fix the step's description.");
  }
  return description;
}

}  // namespace

std::unique_ptr<ProcessEndpoint> ProcessEndpoint::start(StepProcessCommand command, Timing timing) {
  const auto process = StepProcess::start(command, timing.start_timeout, timing.stop_grace);
  auto description = describe_through(*process, command.plugin);
  if (const auto named = name_in_file(command); !named.empty() && named != description.name()) {
    throw PluginError(command.plugin,
                      "the file is named for step '" + named + "' but describes step '" +
                          description.name() + "'",
                      "Rename the file gantry-step-" + description.name() + ".");
  }
  auto endpoint = std::unique_ptr<ProcessEndpoint>(
      new ProcessEndpoint(std::move(command), std::move(description), timing));
  endpoint->give_back(process);
  return endpoint;
}

v1::StepDescription ProcessEndpoint::describe() {
  auto process = take_process();
  auto description = describe_through(*process, command_.plugin);
  give_back(std::move(process));
  return description;
}

std::unique_ptr<ProcessEndpoint> ProcessEndpoint::described(StepProcessCommand command,
                                                            v1::StepDescription description,
                                                            Timing timing) {
  return std::unique_ptr<ProcessEndpoint>(
      new ProcessEndpoint(std::move(command), std::move(description), timing));
}

ProcessEndpoint::ProcessEndpoint(StepProcessCommand command, v1::StepDescription description,
                                 Timing timing)
    : command_(std::move(command)), description_(std::move(description)), timing_(timing) {}

ProcessEndpoint::~ProcessEndpoint() = default;

std::shared_ptr<StepProcess> ProcessEndpoint::take_process() {
  {
    const std::lock_guard lock(mutex_);
    while (!idle_.empty()) {
      auto process = std::move(idle_.back());
      idle_.pop_back();
      if (!process->ended(std::chrono::milliseconds(0))) {
        return process;
      }
    }
  }
  return StepProcess::start(command_, timing_.start_timeout, timing_.stop_grace);
}

void ProcessEndpoint::give_back(std::shared_ptr<StepProcess> process) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(std::move(process));
}

v1::Result ProcessEndpoint::run(const v1::RunRequest& request, sdk::EventSink& sink) {
  if (sink.cancelled()) {
    return finished(sink, v1::OUTCOME_CANCELLED, "cancelled", {});  // before it started
  }
  std::shared_ptr<StepProcess> process;
  try {
    process = take_process();
  } catch (const Error& error) {
    return finished(sink, v1::OUTCOME_FAILED, error.what(), error.resolution());
  }
  const auto stub = v1::Step::NewStub(process->channel());
  grpc::ClientContext context;
  CallCanceller watch([&sink] { return sink.cancelled(); }, context, kCancelPoll);
  const auto reader = stub->Run(&context, request);
  std::optional<v1::Result> result;
  v1::RunEvent event;
  while (reader->Read(&event)) {
    if (result) {
      continue;  // the Result is last by contract: anything after it is dropped
    }
    if (event.has_result()) {
      result = event.result();
    }
    try {
      sink.emit(event);
    } catch (...) {
      // A reporter's failure does not end the step.
    }
  }
  const grpc::Status status = reader->Finish();
  const bool cancelled = watch.finish();
  if (cancelled) {
    // The step had its chance to stop with the call; its process goes too, politely first.
    process->stop();
    return result ? *result : finished(sink, v1::OUTCOME_CANCELLED, "cancelled", {});
  }
  if (result) {
    give_back(std::move(process));
    return *result;
  }
  return broken_call(*process, status.error_message(), sink);
}

v1::Result ProcessEndpoint::broken_call(StepProcess& process, const std::string& call_error,
                                        sdk::EventSink& sink) const {
  const std::string step = "step '" + description_.name() + "'";
  if (const auto end = process.ended(kEndPatience)) {
    for (const auto& line : process.output_tail()) {
      emit_stderr_line(sink, line);
    }
    return finished(sink, v1::OUTCOME_FAILED,
                    step + ": its step process (" + command_.plugin.string() + ") " +
                        StepProcess::describe_end(*end) + " during the run",
                    "This is a bug in the plugin: report it to its authors with the output "
                    "above. Other steps are not affected; run again to retry.");
  }
  return finished(sink, v1::OUTCOME_FAILED,
                  step + ": the call to its step process (" + command_.plugin.string() +
                      ") broke without a result: " + call_error,
                  "This is a bug in the plugin: a run must end with a Result event.");
}

}  // namespace gantry::host
