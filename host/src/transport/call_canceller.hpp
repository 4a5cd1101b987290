#pragma once

#include <grpcpp/client_context.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace gantry::host {

/// Cancels a client call once `should_cancel` turns true (polled every `interval`), until
/// the call has ended: how a step's or a run's cancellation reaches the other side.
class CallCanceller {
 public:
  CallCanceller(std::function<bool()> should_cancel, grpc::ClientContext& context,
                std::chrono::milliseconds interval);
  CallCanceller(const CallCanceller&) = delete;
  CallCanceller& operator=(const CallCanceller&) = delete;
  ~CallCanceller() { finish(); }

  /// Stops watching; whether it cancelled the call.
  bool finish();

 private:
  std::mutex mutex_;
  std::condition_variable ended_;
  bool done_ = false;
  bool cancelled_ = false;
  std::thread thread_;
};

}  // namespace gantry::host
