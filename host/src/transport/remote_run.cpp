#include "transport/remote_run.hpp"

#include "gantry/archive/atomic_file.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/v1/runner.grpc.pb.h"
#include "pipeline/invalid_pipeline.hpp"
#include "transport/bearer_token.hpp"
#include "transport/call_canceller.hpp"
#include "transport/project_tar.hpp"
#include "transport/runner_channel.hpp"

namespace gantry::host {
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;

StepState local_state(v1::StepState state) {
  switch (state) {
    case v1::STEP_STATE_SUCCEEDED:
      return StepState::kSucceeded;
    case v1::STEP_STATE_CANCELLED:
      return StepState::kCancelled;
    case v1::STEP_STATE_SKIPPED:
      return StepState::kSkipped;
    default:
      return StepState::kFailed;
  }
}

InvalidPipeline rejected_pipeline(const v1::PipelineRejected& rejected,
                                  const std::filesystem::path& project) {
  std::vector<Problem> problems;
  for (const auto& wire : rejected.problems()) {
    problems.push_back({{(project / wire.file()).string(), wire.line(), wire.column()},
                        wire.message(),
                        wire.hint()});
  }
  return InvalidPipeline(std::move(problems));
}

/// Whether a path the runner gave stays inside the project: relative, without `..` (a
/// runner that lies must not write elsewhere on the client).
bool inside_project(const std::string& path) {
  if (path.empty()) {
    return false;
  }
  const std::filesystem::path given(path);
  const auto normal = given.lexically_normal();
  return given.is_relative() && !normal.empty() && *normal.begin() != ".." && normal != ".";
}

/// Fetches one artifact into the local project, checking its digest when it has one.
void download(v1::Runner::Stub& stub, const RemoteOptions& remote, const std::string& run_id,
              const v1::Artifact& artifact, const std::filesystem::path& local) {
  grpc::ClientContext context;
  attach_token(context, remote.token);
  v1::FetchArtifactRequest request;
  request.set_run_id(run_id);
  request.set_path(artifact.path());
  const auto reader = stub.FetchArtifact(&context, request);
  std::filesystem::create_directories(local.parent_path());
  archive::AtomicFile file(local);
  net::Sha256 hash;
  v1::FileChunk chunk;
  bool first = true;
  while (reader->Read(&chunk)) {
    if (first) {
      file.set_permissions(chunk.mode() & 0755U);
      first = false;
    }
    file.write(chunk.data());
    hash.update(chunk.data());
  }
  const auto status = reader->Finish();
  if (!status.ok()) {
    throw_runner_error(remote, status);
  }
  const auto digest = hash.finish().str();
  if (!artifact.digest().empty() && artifact.kind() != "directory" && artifact.digest() != digest) {
    throw Error("artifact " + artifact.path() + " from the runner has digest " + digest +
                    ", not the " + artifact.digest() + " its step announced",
                "Run again; if it persists, the runner's disk or the network corrupts files.");
  }
  file.commit();
}

}  // namespace

RunSummary run_remote(const RemoteRun& run, Reporter& reporter,
                      const std::function<bool()>& interrupted,
                      std::shared_ptr<grpc::Channel> channel) {
  const auto pipeline = std::filesystem::absolute(run.pipeline_file);
  const auto project = pipeline.parent_path();
  std::map<std::string, std::string> extra;
  if (!run.pipeline_text.empty()) {
    extra[pipeline.filename().string()] = run.pipeline_text;
  }
  Spool tar;
  const auto tar_size = write_project_tar(project, tar, extra);

  if (!channel) {
    channel = runner_channel(run.remote);
  }
  const auto stub = v1::Runner::NewStub(channel);
  grpc::ClientContext context;
  attach_token(context, run.remote.token);
  CallCanceller watch(interrupted, context, std::chrono::milliseconds(50));
  const auto stream = stub->Submit(&context);

  v1::SubmitRequest request;
  auto& submission = *request.mutable_submission();
  submission.set_pipeline_file(pipeline.filename().string());
  submission.set_jobs(static_cast<std::uint32_t>(run.jobs));
  submission.set_keep_going(run.keep_going);
  submission.set_isolate(run.isolate);
  submission.set_project_size(tar_size);
  // The submission goes out with the project's first chunk, not in a packet of its own.
  bool sending = stream->Write(request, grpc::WriteOptions().set_buffer_hint());
  tar.read(kChunkBytes, [&](std::string_view bytes) {
    v1::SubmitRequest part;
    part.set_project_tar(bytes.data(), bytes.size());
    return sending = sending && stream->Write(part);
  });
  stream->WritesDone();

  RunSummary summary;
  std::vector<v1::Artifact> artifacts;
  std::map<std::string, std::vector<v1::Artifact>> announced;
  std::optional<v1::PipelineRejected> rejected;
  v1::RunnerEvent event;
  while (stream->Read(&event)) {
    if (event.has_accepted()) {
      summary.run_id = event.accepted().run_id();
      if (run.accepted) {
        run.accepted(summary.run_id);
      }
      reporter.run_started(summary.run_id, event.accepted().step_count());
    } else if (event.has_rejected()) {
      rejected = event.rejected();
    } else if (event.has_step_started()) {
      reporter.step_started(event.step_started().step_id(), event.step_started().uses());
    } else if (event.has_step_event()) {
      auto step_event = event.step_event().event();
      if (step_event.has_artifact() && inside_project(step_event.artifact().path())) {
        announced[event.step_event().step_id()].push_back(step_event.artifact());
        step_event.mutable_artifact()->set_path((project / step_event.artifact().path()).string());
      }
      reporter.step_event(event.step_event().step_id(), step_event);
    } else if (event.has_step_finished()) {
      const auto& finished = event.step_finished();
      StepReport report;
      report.id = finished.step_id();
      report.uses = finished.uses();
      report.state = local_state(finished.state());
      report.result = finished.result();
      report.skip_reason = finished.skip_reason();
      report.elapsed = std::chrono::milliseconds(finished.elapsed_ms());
      report.cached = finished.cached();
      if (report.state == StepState::kSucceeded) {
        for (const auto& artifact : announced[report.id]) {
          artifacts.push_back(artifact);
        }
      }
      reporter.step_finished(report);
      summary.steps.push_back(std::move(report));
    } else if (event.has_run_finished()) {
      summary.interrupted = event.run_finished().interrupted();
      summary.elapsed = std::chrono::milliseconds(event.run_finished().elapsed_ms());
    }
  }
  const auto status = stream->Finish();
  const bool cancelled = watch.finish();
  if (rejected) {
    throw rejected_pipeline(*rejected, project);
  }
  if (cancelled) {
    summary.interrupted = true;
  } else if (!status.ok()) {
    throw_runner_error(run.remote, status);
  }
  if (!summary.interrupted) {
    for (const auto& artifact : artifacts) {
      if (artifact.kind() == "directory") {
        continue;  // a tree, not a file: fetch its files by name if needed
      }
      download(*stub, run.remote, summary.run_id, artifact, project / artifact.path());
    }
  }
  reporter.run_finished(summary);
  return summary;
}

bool cancel_remote_run(const RemoteOptions& remote, const std::string& run_id) {
  const auto stub = v1::Runner::NewStub(runner_channel(remote));
  grpc::ClientContext context;
  attach_token(context, remote.token);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::CancelRequest request;
  request.set_run_id(run_id);
  v1::CancelResponse response;
  const auto status = stub->Cancel(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    throw Error("the runner at " + remote.address + " has no run " + run_id,
                "Give the id `gantry run --remote` printed (\"Running on ... as run ID\"; in "
                "JSON output, `remote_run`), or the one the runner logged.");
  }
  if (!status.ok()) {
    throw_runner_error(remote, status);
  }
  return response.cancelled();
}

}  // namespace gantry::host
