#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {

/// tests/support/fault_proxy.py on a free loopback port, in front of a plain-http server on
/// loopback: forwards every request and logs it, and injects the faults `rules` ask for
/// (answer a status, cut the response or the request after N bytes, stall, throttle,
/// redirect, move Location to another port). The rule format is in the script's docstring:
///   {"match": "PATCH /v2/", "nth": 2, "action": "close_request_after", "bytes": 4096}
/// The proxy is killed when the fixture goes; it also exits by itself after 600 s.
class FaultProxy {
 public:
  /// Starts the proxy for `upstream_host_port` ("127.0.0.1:PORT") and waits for it to
  /// listen. Throws std::runtime_error, with the proxy's stderr, when it refuses the rules
  /// or the upstream, or is not listening within 15 s.
  explicit FaultProxy(std::string upstream_host_port,
                      nlohmann::json rules = nlohmann::json::array());
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  [[nodiscard]] int port() const { return port_; }
  /// "127.0.0.1:PORT", to give a client in place of the upstream's.
  [[nodiscard]] std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  /// Every request so far, ordered by its number "n": method, path, headers (lower-case
  /// names), body_bytes, status (what the client was sent, null if nothing) and fault.
  [[nodiscard]] std::vector<nlohmann::json> requests() const;
  /// How many requests so far had `method` ("*" for any) and a path starting with
  /// `path_prefix`.
  [[nodiscard]] int count(std::string_view method, std::string_view path_prefix) const;

 private:
  sdk::TemporaryDirectory dir_{"gantry-fault-proxy-"};
  int port_ = 0;
  std::unique_ptr<BackgroundCommand> process_;
};

}  // namespace gantry::testing
