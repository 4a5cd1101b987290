#pragma once

#include <grpcpp/channel.h>

#include <functional>

#include "report/reporter.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

/// `gantry run --remote`: sends the pipeline and its project directory to a runner,
/// reports the run's events to `reporter` as a local run would, and downloads the files
/// the successful steps announced as artifacts inside the project into the local project
/// (written to a temporary name, checked against their digest, renamed into place).
/// Cancels the remote run when `interrupted` turns true. Throws InvalidPipeline for a
/// pipeline the runner refused, gantry::Error when the runner cannot be used. Uses
/// `channel` when given (a caller that runs often keeps its connection), else a new one.
[[nodiscard]] RunSummary run_remote(const RemoteRun& run, Reporter& reporter,
                                    const std::function<bool()>& interrupted,
                                    std::shared_ptr<grpc::Channel> channel = nullptr);

/// `gantry cancel RUN_ID --remote ADDRESS`: asks the runner to cancel one of its runs, as
/// Ctrl-C in the client that submitted it would. False when the run had already ended.
/// Throws gantry::Error when the runner cannot be used or has no such run.
[[nodiscard]] bool cancel_remote_run(const RemoteOptions& remote, const std::string& run_id);

}  // namespace gantry::host
