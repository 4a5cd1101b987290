#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "gantry/v1/step.grpc.pb.h"
#include "plugins/step_endpoint.hpp"

namespace gantry::host {

/// The gantry.v1.Step gRPC service in front of one endpoint: Describe returns its
/// description, Run streams its events as it emits them. A call the client cancels (or
/// whose connection breaks) cancels the run.
class StepService final : public v1::Step::Service {
 public:
  explicit StepService(StepEndpoint& endpoint) : endpoint_(endpoint) {}

  grpc::Status Describe(grpc::ServerContext* context, const v1::DescribeRequest* request,
                        v1::StepDescription* description) override;
  grpc::Status Run(grpc::ServerContext* context, const v1::RunRequest* request,
                   grpc::ServerWriter<v1::RunEvent>* writer) override;

  /// Cancels every run, now and later (the server is going away), and waits up to `grace`
  /// for the running ones to end; whether they all did.
  bool cancel_all(std::chrono::milliseconds grace);

 private:
  StepEndpoint& endpoint_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t running_ = 0;
};

}  // namespace gantry::host
