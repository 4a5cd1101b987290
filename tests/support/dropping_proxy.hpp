#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace gantry::testing {

/// A TCP proxy on a free loopback port that forwards to `target_port` and cuts one
/// connection (both sides closed at once, as a dropped network link does): the first to
/// send more than `drop_after` bytes upstream, or, with `request_prefix`, the connection
/// carrying the `request_number`th request that starts with it, before any of that
/// request is forwarded. Later connections pass through.
class DroppingProxy {
 public:
  DroppingProxy(int target_port, std::uint64_t drop_after);
  DroppingProxy(int target_port, std::string request_prefix, int request_number);
  ~DroppingProxy();
  DroppingProxy(const DroppingProxy&) = delete;
  DroppingProxy& operator=(const DroppingProxy&) = delete;

  [[nodiscard]] int port() const { return port_; }
  /// How many connections were cut (0 or 1).
  [[nodiscard]] int drops() const { return drops_; }
  /// Bytes forwarded upstream over all connections.
  [[nodiscard]] std::uint64_t upstream_bytes() const { return upstream_; }

 private:
  void serve(int client);

  int target_port_;
  std::uint64_t drop_after_;
  std::string request_prefix_;
  int request_number_ = 0;
  std::atomic<int> requests_seen_{0};
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> drops_{0};
  std::atomic<std::uint64_t> upstream_{0};
  std::mutex mutex_;
  std::vector<std::thread> connections_;
  std::thread acceptor_;
};

}  // namespace gantry::testing
