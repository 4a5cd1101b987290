#include "transport/runner_service.hpp"

#include <fstream>
#include <iostream>

#include "cli/run_session.hpp"
#include "pipeline/invalid_pipeline.hpp"
#include "pipeline/pipeline_parser.hpp"
#include "pipeline/plan.hpp"
#include "scheduler/scheduler.hpp"
#include "transport/bearer_token.hpp"
#include "transport/project_tar.hpp"

namespace gantry::host {
namespace {

constexpr std::size_t kChunkBytes = 1 << 20;
/// Finished runs whose files can still be fetched; older ones are removed.
constexpr std::size_t kKeptRuns = 16;

v1::StepState wire_state(StepState state) {
  switch (state) {
    case StepState::kSucceeded:
      return v1::STEP_STATE_SUCCEEDED;
    case StepState::kFailed:
      return v1::STEP_STATE_FAILED;
    case StepState::kCancelled:
      return v1::STEP_STATE_CANCELLED;
    case StepState::kSkipped:
      return v1::STEP_STATE_SKIPPED;
  }
  return v1::STEP_STATE_UNSPECIFIED;
}

/// A run's events, written to the client as they happen; artifact paths inside the
/// project are made relative to it, so that the client can fetch them.
class StreamReporter final : public Reporter {
 public:
  using Stream = grpc::ServerReaderWriter<v1::RunnerEvent, v1::SubmitRequest>;
  StreamReporter(Stream& stream, std::filesystem::path project)
      : stream_(stream), project_(std::move(project)) {}

  void run_started(const std::string& run_id, std::size_t step_count) override {
    v1::RunnerEvent event;
    event.mutable_accepted()->set_run_id(run_id);
    event.mutable_accepted()->set_step_count(static_cast<std::uint32_t>(step_count));
    write(event);
  }
  void step_started(const std::string& id, const std::string& uses) override {
    v1::RunnerEvent event;
    event.mutable_step_started()->set_step_id(id);
    event.mutable_step_started()->set_uses(uses);
    write(event);
  }
  void step_event(const std::string& id, const v1::RunEvent& step_event) override {
    v1::RunnerEvent event;
    event.mutable_step_event()->set_step_id(id);
    auto& copy = *event.mutable_step_event()->mutable_event() = step_event;
    if (copy.has_artifact() && !copy.artifact().path().empty()) {
      const auto relative =
          std::filesystem::path(copy.artifact().path()).lexically_relative(project_);
      if (!relative.empty() && *relative.begin() != "..") {
        copy.mutable_artifact()->set_path(relative.generic_string());
      }
    }
    write(event);
  }
  void step_finished(const StepReport& report) override {
    v1::RunnerEvent event;
    auto& finished = *event.mutable_step_finished();
    finished.set_step_id(report.id);
    finished.set_uses(report.uses);
    finished.set_state(wire_state(report.state));
    *finished.mutable_result() = report.result;
    finished.set_skip_reason(report.skip_reason);
    finished.set_elapsed_ms(static_cast<std::uint64_t>(report.elapsed.count()));
    finished.set_cached(report.cached);
    write(event);
  }
  void run_finished(const RunSummary& summary) override {
    v1::RunnerEvent event;
    event.mutable_run_finished()->set_interrupted(summary.interrupted);
    event.mutable_run_finished()->set_elapsed_ms(
        static_cast<std::uint64_t>(summary.elapsed.count()));
    // The last event goes out with the call's status rather than in a round of its own.
    // (Buffer hints on the earlier events stalled each call for 30 s when tried: the
    // synchronous server's hinted writes waited on a flush that did not come.)
    write(event, grpc::WriteOptions().set_last_message());
  }

 private:
  void write(const v1::RunnerEvent& event, grpc::WriteOptions options = {}) {
    const std::lock_guard lock(mutex_);
    if (!broken_) {
      broken_ = !stream_.Write(event, options);
    }
  }

  Stream& stream_;
  std::filesystem::path project_;
  std::mutex mutex_;
  bool broken_ = false;
};

/// A line of the runner's log, written whole so that concurrent runs do not interleave.
void runner_log(const std::string& line) {
  const std::string whole = line + "\n";
  std::cerr.write(whole.data(), static_cast<std::streamsize>(whole.size()));
  std::cerr.flush();
}

grpc::Status invalid(const std::string& message) {
  return {grpc::StatusCode::INVALID_ARGUMENT, message};
}

}  // namespace

RunnerService::RunnerService(const StepRegistry& registry, ServeOptions options)
    : registry_(registry), options_(std::move(options)) {}

grpc::Status RunnerService::ListSteps(grpc::ServerContext* context,
                                      const v1::ListStepsRequest* /*request*/,
                                      v1::ListStepsResponse* response) {
  if (auto refused = refuse_unless_token(*context, options_.token)) {
    return *refused;
  }
  for (const auto* step : registry_.steps()) {
    *response->add_steps() = step->description();
  }
  return grpc::Status::OK;
}

grpc::Status RunnerService::Submit(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::RunnerEvent, v1::SubmitRequest>* stream) {
  if (auto refused = refuse_unless_token(*context, options_.token)) {
    return *refused;
  }
  v1::SubmitRequest first;
  if (!stream->Read(&first) || !first.has_submission()) {
    return invalid("a submission starts with a Submission message");
  }
  const auto& submission = first.submission();
  if (submission.project_size() > options_.max_upload) {
    return {grpc::StatusCode::RESOURCE_EXHAUSTED,
            "the project is " + std::to_string(submission.project_size()) +
                " bytes; this runner takes at most " + std::to_string(options_.max_upload) +
                " (gantry serve --max-upload)"};
  }
  const std::filesystem::path pipeline_file(submission.pipeline_file());
  if (pipeline_file.empty() || pipeline_file.is_absolute() ||
      pipeline_file.lexically_normal().string().starts_with("..")) {
    return invalid("the pipeline file must be a path inside the project");
  }
  const auto run = begin_run();
  if (!run) {
    return {grpc::StatusCode::RESOURCE_EXHAUSTED,
            "this runner already runs " + std::to_string(options_.max_runs) +
                " pipelines; try again when one has finished"};
  }
  const std::string& run_id = run->id;
  struct EndRun {
    RunnerService& service;
    const std::string& id;
    ~EndRun() { service.end_run(id); }
  } const end_run{*this, run_id};

  if (const auto received = receive_project(*stream, submission, *run); !received.ok()) {
    return received;
  }
  const auto project = run->directory / "project";
  Plan plan;
  try {
    plan = plan_pipeline(parse_pipeline_file(project / pipeline_file), registry_,
                         {submission.isolate()});
  } catch (const InvalidPipeline& rejected) {
    v1::RunnerEvent event;
    for (const auto& problem : rejected.problems()) {
      auto& wire = *event.mutable_rejected()->add_problems();
      wire.set_file(std::filesystem::path(problem.position.file)
                        .lexically_relative(project)
                        .generic_string());
      wire.set_line(problem.position.line);
      wire.set_column(problem.position.column);
      wire.set_message(problem.message);
      wire.set_hint(problem.hint);
    }
    event.mutable_rejected()->set_resolution(rejected.resolution());
    stream->Write(event);
    return grpc::Status::OK;
  } catch (const Error& error) {
    return invalid(error.what());
  }
  StreamReporter reporter(*stream, project);
  SchedulerOptions options;
  options.jobs = submission.jobs() == 0 ? 2 : submission.jobs();
  options.keep_going = submission.keep_going();
  options.run_id = run_id;
  options.interrupted = [context, &run] { return context->IsCancelled() || run->cancel.load(); };
  // The runner's log: what an operator needs to follow runs and cancel one.
  runner_log("run " + run_id + ": accepted from " + context->peer() + ", " +
             std::to_string(plan.steps.size()) + " step(s)");
  const RunSummary summary = run_plan(plan, reporter, options);
  runner_log("run " + run_id + ": " +
             (summary.interrupted   ? "cancelled"
              : summary.succeeded() ? "succeeded"
                                    : "failed"));
  return grpc::Status::OK;
}

grpc::Status RunnerService::receive_project(
    grpc::ServerReaderWriter<v1::RunnerEvent, v1::SubmitRequest>& stream,
    const v1::Submission& submission, const Run& run) const {
  Spool tar(run.directory);  // a large upload spills beside the run, not into TMPDIR
  v1::SubmitRequest part;
  while (stream.Read(&part)) {
    if (!part.has_project_tar()) {
      return invalid("after the Submission, a submission holds project tar chunks only");
    }
    if (tar.size() + part.project_tar().size() > submission.project_size()) {
      return invalid("the project upload is larger than the " +
                     std::to_string(submission.project_size()) + " bytes it announced");
    }
    try {
      tar.write(part.project_tar());
    } catch (const Error& error) {
      return {grpc::StatusCode::INTERNAL,
              "the runner cannot store the project: " + std::string(error.what()) + " (" +
                  error.resolution() + ")"};
    }
  }
  if (tar.size() != submission.project_size()) {
    return invalid("the project upload ended after " + std::to_string(tar.size()) + " of the " +
                   std::to_string(submission.project_size()) + " bytes it announced");
  }
  try {
    extract_project_tar(tar, run.directory / "project", options_.max_upload);
  } catch (const Error& error) {
    return invalid(error.what());
  }
  return grpc::Status::OK;
}

grpc::Status RunnerService::Cancel(grpc::ServerContext* context, const v1::CancelRequest* request,
                                   v1::CancelResponse* response) {
  if (auto refused = refuse_unless_token(*context, options_.token)) {
    return *refused;
  }
  const auto run = find_run(request->run_id());
  if (!run) {
    return {grpc::StatusCode::NOT_FOUND, "no run " + request->run_id() + " on this runner"};
  }
  const std::lock_guard lock(mutex_);
  response->set_cancelled(!run->finished);
  run->cancel = true;
  runner_log("run " + request->run_id() + ": cancel requested by " + context->peer());
  return grpc::Status::OK;
}

grpc::Status RunnerService::FetchArtifact(grpc::ServerContext* context,
                                          const v1::FetchArtifactRequest* request,
                                          grpc::ServerWriter<v1::FileChunk>* writer) {
  if (auto refused = refuse_unless_token(*context, options_.token)) {
    return *refused;
  }
  const auto run = find_run(request->run_id());
  if (!run) {
    return {grpc::StatusCode::NOT_FOUND, "no run " + request->run_id() + " on this runner"};
  }
  std::error_code error;
  const auto project = std::filesystem::canonical(run->directory / "project", error);
  const auto file =
      std::filesystem::canonical(project / std::filesystem::path(request->path()), error);
  const auto relative = file.lexically_relative(project);
  if (error || relative.empty() || *relative.begin() == ".." ||
      !std::filesystem::is_regular_file(file)) {
    return {grpc::StatusCode::NOT_FOUND,
            "'" + request->path() + "' is not a file in run " + request->run_id() + "'s project"};
  }
  std::ifstream in(file, std::ios::binary);
  std::string buffer(kChunkBytes, '\0');
  v1::FileChunk chunk;
  chunk.set_size(std::filesystem::file_size(file));
  chunk.set_mode(static_cast<std::uint32_t>(std::filesystem::status(file).permissions()) & 0777U);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    chunk.set_data(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (!writer->Write(chunk) || context->IsCancelled()) {
      return grpc::Status::CANCELLED;
    }
    chunk.Clear();
  }
  return grpc::Status::OK;
}

std::shared_ptr<RunnerService::Run> RunnerService::begin_run() {
  const std::lock_guard lock(mutex_);
  if (running_ >= options_.max_runs) {
    return nullptr;
  }
  auto run = std::make_shared<Run>();
  // A run id has 24 random bits per second: a busy runner draws the same one now and
  // then, and two runs must never share a directory.
  std::filesystem::create_directories(options_.workdir);
  do {
    run->id = new_run_id();
    run->directory = options_.workdir / run->id;
  } while (runs_.contains(run->id) || !std::filesystem::create_directory(run->directory));
  std::filesystem::permissions(run->directory, std::filesystem::perms::owner_all);
  runs_[run->id] = run;
  ++running_;
  return run;
}

void RunnerService::end_run(const std::string& run_id) {
  const std::lock_guard lock(mutex_);
  --running_;
  runs_[run_id]->finished = true;
  finished_.push_back(run_id);
  while (finished_.size() > kKeptRuns) {
    janitor_.remove(runs_[finished_.front()]->directory);
    runs_.erase(finished_.front());
    finished_.pop_front();
  }
}

std::shared_ptr<RunnerService::Run> RunnerService::find_run(const std::string& run_id) {
  const std::lock_guard lock(mutex_);
  const auto found = runs_.find(run_id);
  return found == runs_.end() ? nullptr : found->second;
}

void RunnerService::cancel_all() {
  const std::lock_guard lock(mutex_);
  for (auto& [id, run] : runs_) {
    run->cancel = true;
  }
}

}  // namespace gantry::host
