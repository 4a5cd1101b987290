#pragma once

#include <grpcpp/channel.h>

#include "plugins/step_endpoint.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

/// A step that runs on a runner (`runs-on: ADDRESS`): each run sends a one-step pipeline
/// with the run's parameters, and the project directory, to the runner; the step's events
/// come back into the local run as if it ran here, and its artifacts inside the project
/// are downloaded into the local project.
class RemoteStepEndpoint final : public StepEndpoint {
 public:
  /// Asks the runner for its steps and keeps the description of `step`. Throws
  /// gantry::Error when the runner cannot be reached or does not offer the step.
  RemoteStepEndpoint(RemoteOptions remote, const std::string& step);

  [[nodiscard]] const v1::StepDescription& description() const override { return description_; }
  [[nodiscard]] std::string origin() const override { return "runner " + remote_.address; }
  [[nodiscard]] StepTransport transport() const override { return StepTransport::kRemote; }
  v1::Result run(const v1::RunRequest& request, sdk::EventSink& sink) override;

 private:
  RemoteOptions remote_;
  /// One connection for every run of the step.
  std::shared_ptr<grpc::Channel> channel_;
  v1::StepDescription description_;
};

/// The steps a runner offers. Throws gantry::Error when it cannot be asked.
[[nodiscard]] std::vector<v1::StepDescription> runner_steps(const RemoteOptions& remote);

/// A one-step pipeline running `step_name` as step `step_id` with `params`.
[[nodiscard]] std::string one_step_pipeline(
    const std::string& step_id, const std::string& step_name,
    const google::protobuf::Map<std::string, v1::Value>& params);

}  // namespace gantry::host
