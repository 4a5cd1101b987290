#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gantry::host {

/// The line a step process prints on its standard output once it serves the Step
/// service, go-plugin's format: `CORE|PROTOCOL|NETWORK|ADDRESS|grpc`, e.g.
/// `1|1|unix|/tmp/gantry-step-x1/step.sock|grpc`. CORE is the handshake's own version
/// (1), PROTOCOL the gantry.v1 step protocol major version, NETWORK `unix` or `tcp`
/// (loopback only).
struct Handshake {
  std::uint32_t core_version = 1;
  std::uint32_t protocol_version = 1;
  std::string network;
  std::string address;

  /// The handshake line, without its newline.
  [[nodiscard]] std::string line() const;
  /// The gRPC target the address stands for: `unix:/path` or `127.0.0.1:4000`.
  [[nodiscard]] std::string target() const;
};

/// The handshake version this host speaks.
inline constexpr std::uint32_t kHandshakeCoreVersion = 1;

/// The environment variable a step executable checks before serving, and its value: an
/// executable started by a person instead of gantry says what it is and exits (not a
/// security measure, as in go-plugin).
inline constexpr const char* kMagicCookieName = "GANTRY_PLUGIN_MAGIC_COOKIE";
inline constexpr const char* kMagicCookieValue =
    "d3b9f5e2c7a14e0f8b6a2c9d1e4f7a3b5c8d0e2f4a6b8c1d3e5f7a9b2c4d6e8f";
/// The private directory (mode 0700) in which a step process creates its unix socket.
inline constexpr const char* kSocketDirName = "GANTRY_PLUGIN_SOCKET_DIR";
/// The step protocol versions the host speaks, comma-separated.
inline constexpr const char* kProtocolVersionsName = "GANTRY_PLUGIN_PROTOCOL_VERSIONS";

/// Parses a handshake line. Throws gantry::Error saying what is wrong with it: not five
/// fields, another handshake or protocol version, a network other than unix or loopback
/// tcp, a protocol other than grpc.
[[nodiscard]] Handshake parse_handshake(std::string_view line);

}  // namespace gantry::host
