#pragma once

#include <string>

#include "gantry/sdk/error.hpp"

namespace gantry::net {

/// A request that got no HTTP answer: refused or dropped connection, timeout, stalled
/// peer, TLS failure. The message names the method and URL (never its credentials).
class NetworkError : public Error {
 public:
  enum class Kind { kTransient, kTls };

  NetworkError(std::string message, std::string resolution, Kind kind)
      : Error(std::move(message), std::move(resolution)), kind_(kind) {}

  /// True when trying again may help (everything but a TLS or certificate failure).
  [[nodiscard]] bool transient() const { return kind_ == Kind::kTransient; }
  [[nodiscard]] bool tls() const { return kind_ == Kind::kTls; }

 private:
  Kind kind_;
};

}  // namespace gantry::net
