#include "transport/call_canceller.hpp"

namespace gantry::host {

CallCanceller::CallCanceller(std::function<bool()> should_cancel, grpc::ClientContext& context,
                             std::chrono::milliseconds interval)
    : thread_([this, should_cancel = std::move(should_cancel), &context, interval] {
        std::unique_lock lock(mutex_);
        while (!done_) {
          if (should_cancel()) {
            cancelled_ = true;
            context.TryCancel();
            return;
          }
          ended_.wait_for(lock, interval);
        }
      }) {}

bool CallCanceller::finish() {
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
  }
  ended_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  return cancelled_;
}

}  // namespace gantry::host
