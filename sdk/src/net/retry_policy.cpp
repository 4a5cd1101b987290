#include "gantry/net/retry_policy.hpp"

#include <algorithm>
#include <thread>

#include "gantry/sdk/error.hpp"

namespace gantry::net {

using Clock = std::chrono::steady_clock;

RetryPolicy::Run::Run(const RetryPolicy& policy, std::function<bool()> cancelled)
    : policy_(policy), cancelled_(std::move(cancelled)), started_(Clock::now()) {}

bool RetryPolicy::Run::wait_before_retry(int attempt,
                                         std::optional<std::chrono::milliseconds> hint) {
  if (attempt >= policy_.attempts) {
    return false;
  }
  const auto doubled = policy_.backoff * (1LL << std::min(attempt - 1, 16));
  const auto wait =
      std::min<std::chrono::milliseconds>(hint.value_or(doubled), std::chrono::minutes(1));
  if (Clock::now() + wait > started_ + policy_.deadline) {
    return false;
  }
  cancellable_sleep(wait, cancelled_);
  return true;
}

void cancellable_sleep(std::chrono::milliseconds duration, const std::function<bool()>& cancelled) {
  const auto until = Clock::now() + duration;
  while (true) {
    if (cancelled && cancelled()) {
      throw Cancelled();
    }
    const auto now = Clock::now();
    if (now >= until) {
      return;
    }
    std::this_thread::sleep_for(
        std::min<Clock::duration>(until - now, std::chrono::milliseconds(100)));
  }
}

}  // namespace gantry::net
