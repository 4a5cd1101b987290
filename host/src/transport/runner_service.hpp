#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>

#include "gantry/v1/runner.grpc.pb.h"
#include "plugins/step_registry.hpp"
#include "transport/directory_janitor.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

/// The gantry.v1.Runner service of `gantry serve`: runs submitted pipelines with this
/// host's steps, each in a project directory of its own under the work directory, and
/// serves the files they write. Every call must carry the bearer token when there is one.
class RunnerService final : public v1::Runner::Service {
 public:
  RunnerService(const StepRegistry& registry, ServeOptions options);

  grpc::Status ListSteps(grpc::ServerContext* context, const v1::ListStepsRequest* request,
                         v1::ListStepsResponse* response) override;
  grpc::Status Submit(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::RunnerEvent, v1::SubmitRequest>* stream) override;
  grpc::Status Cancel(grpc::ServerContext* context, const v1::CancelRequest* request,
                      v1::CancelResponse* response) override;
  grpc::Status FetchArtifact(grpc::ServerContext* context, const v1::FetchArtifactRequest* request,
                             grpc::ServerWriter<v1::FileChunk>* writer) override;

  /// Cancels every run: the server is going away.
  void cancel_all();

 private:
  struct Run {
    std::string id;
    std::filesystem::path directory;
    std::atomic<bool> cancel{false};
    bool finished = false;
  };

  /// A new run with an id no other run has had in this workdir (its directory made
  /// anew), or nullptr when max_runs are running.
  std::shared_ptr<Run> begin_run();
  void end_run(const std::string& run_id);
  [[nodiscard]] std::shared_ptr<Run> find_run(const std::string& run_id);
  /// Receives the project tar and unpacks it into the run's project directory.
  [[nodiscard]] grpc::Status receive_project(
      grpc::ServerReaderWriter<v1::RunnerEvent, v1::SubmitRequest>& stream,
      const v1::Submission& submission, const Run& run) const;

  const StepRegistry& registry_;
  ServeOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Run>> runs_;
  std::deque<std::string> finished_;
  std::size_t running_ = 0;
  DirectoryJanitor janitor_;  // removes the runs kept no longer
};

}  // namespace gantry::host
