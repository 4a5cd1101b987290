#include "transport/step_service.hpp"

#include <mutex>

#include "gantry/sdk/event_sink.hpp"

namespace gantry::host {
namespace {

/// Writes a run's events to the call, one at a time: a step may emit from several threads.
class CallSink final : public sdk::EventSink {
 public:
  CallSink(grpc::ServerContext& context, grpc::ServerWriter<v1::RunEvent>& writer,
           const std::atomic<bool>& stopping)
      : context_(context), writer_(writer), stopping_(stopping) {}

  void emit(const v1::RunEvent& event) override {
    const std::lock_guard lock(mutex_);
    if (!broken_ && !writer_.Write(event)) {
      broken_ = true;  // the client went away; cancelled() now says so
    }
  }
  [[nodiscard]] bool cancelled() const override {
    const std::lock_guard lock(mutex_);
    return broken_ || stopping_ || context_.IsCancelled();
  }

 private:
  grpc::ServerContext& context_;
  grpc::ServerWriter<v1::RunEvent>& writer_;
  const std::atomic<bool>& stopping_;
  mutable std::mutex mutex_;
  bool broken_ = false;
};

}  // namespace

grpc::Status StepService::Describe(grpc::ServerContext* /*context*/,
                                   const v1::DescribeRequest* /*request*/,
                                   v1::StepDescription* description) {
  *description = endpoint_.description();
  return grpc::Status::OK;
}

grpc::Status StepService::Run(grpc::ServerContext* context, const v1::RunRequest* request,
                              grpc::ServerWriter<v1::RunEvent>* writer) {
  {
    const std::lock_guard lock(mutex_);
    ++running_;
  }
  CallSink sink(*context, *writer, stopping_);
  endpoint_.run(*request, sink);
  {
    const std::lock_guard lock(mutex_);
    --running_;
  }
  idle_.notify_all();
  return context->IsCancelled() ? grpc::Status::CANCELLED : grpc::Status::OK;
}

bool StepService::cancel_all(std::chrono::milliseconds grace) {
  stopping_ = true;
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, grace, [this] { return running_ == 0; });
}

}  // namespace gantry::host
