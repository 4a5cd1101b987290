#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace gantry::net {

/// When to try a failed request again: at most `attempts` tries, waiting `backoff`,
/// then twice as long each time (or what a Retry-After said, up to a minute), and never
/// past `deadline` from the first try. Every wait wakes at least every 100 ms to look at
/// `cancelled`, so a cancelled run stops within that.
struct RetryPolicy {
  int attempts = 4;
  std::chrono::milliseconds backoff{250};
  std::chrono::seconds deadline{600};

  /// A clock for one operation under this policy.
  class Run {
   public:
    Run(const RetryPolicy& policy, std::function<bool()> cancelled);

    /// Whether attempt number `attempt` (1-based) failed with time and tries left for
    /// another; if so, waits before it. Throws gantry::Cancelled when cancelled meanwhile.
    bool wait_before_retry(int attempt,
                           std::optional<std::chrono::milliseconds> hint = std::nullopt);

   private:
    const RetryPolicy& policy_;
    std::function<bool()> cancelled_;
    std::chrono::steady_clock::time_point started_;
  };
};

/// Sleeps for `duration`, waking every 100 ms; throws gantry::Cancelled as soon as
/// `cancelled` says so.
void cancellable_sleep(std::chrono::milliseconds duration, const std::function<bool()>& cancelled);

}  // namespace gantry::net
