#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

#include "plugins/step_endpoint.hpp"
#include "transport/step_process.hpp"
#include "transport/step_process_command.hpp"

namespace gantry::host {

/// A step served by a child process over the gantry.v1.Step gRPC service: a library under
/// `gantry plugin-serve`, or a `gantry-step-NAME` executable. Each run has a process to
/// itself: an idle one kept from an earlier run, or a new one when none is idle, so that
/// steps running at once never share a process and a crash fails one step alone. A run
/// whose process ends fails with a message naming the plugin and the signal or exit
/// code; gantry carries on. A process that ended, or whose run was cancelled, is not
/// reused.
class ProcessEndpoint final : public StepEndpoint {
 public:
  struct Timing {
    /// How long a new process has to print its handshake.
    std::chrono::milliseconds start_timeout = std::chrono::seconds(30);
    /// How long a process asked to stop has before it is killed.
    std::chrono::milliseconds stop_grace = std::chrono::seconds(5);
  };

  /// Starts the process now and asks it for its description, which must name a valid step
  /// (and, for an executable gantry-step-NAME, the step NAME). Throws PluginError.
  static std::unique_ptr<ProcessEndpoint> start(StepProcessCommand command, Timing timing);
  /// An endpoint whose description is known (from the description cache or the library it
  /// serves); nothing starts until the first run.
  static std::unique_ptr<ProcessEndpoint> described(StepProcessCommand command,
                                                    v1::StepDescription description, Timing timing);
  ~ProcessEndpoint() override;

  [[nodiscard]] const v1::StepDescription& description() const override { return description_; }
  [[nodiscard]] std::string origin() const override { return command_.plugin.string(); }
  [[nodiscard]] StepTransport transport() const override { return command_.transport; }
  v1::Result run(const v1::RunRequest& request, sdk::EventSink& sink) override;
  /// Asks a step process for the description again, with the Describe call. Throws
  /// PluginError.
  [[nodiscard]] v1::StepDescription describe();

 private:
  ProcessEndpoint(StepProcessCommand command, v1::StepDescription description, Timing timing);
  /// A live idle process, or a new one. Throws PluginError.
  std::shared_ptr<StepProcess> take_process();
  /// Keeps `process` for a later run.
  void give_back(std::shared_ptr<StepProcess> process);
  /// The Result for a call that broke without one: the process's end, or the call's error.
  v1::Result broken_call(StepProcess& process, const std::string& call_error,
                         sdk::EventSink& sink) const;

  StepProcessCommand command_;
  v1::StepDescription description_;
  Timing timing_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<StepProcess>> idle_;
};

}  // namespace gantry::host
