#include "transport/handshake.hpp"

#include <charconv>
#include <vector>

#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::host {
namespace {

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> fields;
  while (true) {
    const auto at = line.find(separator);
    fields.push_back(line.substr(0, at));
    if (at == std::string_view::npos) {
      return fields;
    }
    line.remove_prefix(at + 1);
  }
}

std::uint32_t version(std::string_view field, const char* what) {
  std::uint32_t value = 0;
  const auto [end, error] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (error != std::errc() || end != field.data() + field.size() || field.empty()) {
    throw Error(std::string("its handshake's ") + what + " '" + std::string(field) +
                "' is not a number");
  }
  return value;
}

/// `127.0.0.1:PORT`, `localhost:PORT` or `[::1]:PORT`: a step process serves loopback only.
bool loopback_tcp(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == address.size()) {
    return false;
  }
  const auto host = address.substr(0, colon);
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

}  // namespace

std::string Handshake::line() const {
  return std::to_string(core_version) + "|" + std::to_string(protocol_version) + "|" + network +
         "|" + address + "|grpc";
}

std::string Handshake::target() const { return network == "unix" ? "unix:" + address : address; }

Handshake parse_handshake(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  const auto fields = split(line, '|');
  if (fields.size() < 4) {
    throw Error(
        "its first line of output is not a gantry handshake "
        "(CORE|PROTOCOL|NETWORK|ADDRESS|grpc): '" +
            std::string(line.substr(0, 200)) + "'",
        "A step process must print the handshake before anything else on standard "
        "output; send logs to standard error.");
  }
  Handshake handshake;
  handshake.core_version = version(fields[0], "core version");
  handshake.protocol_version = version(fields[1], "protocol version");
  handshake.network = std::string(fields[2]);
  handshake.address = std::string(fields[3]);
  if (handshake.core_version != kHandshakeCoreVersion) {
    throw Error("it speaks handshake version " + std::to_string(handshake.core_version) +
                    ", this gantry speaks version " + std::to_string(kHandshakeCoreVersion),
                "Rebuild the plugin against this gantry's SDK.");
  }
  if (handshake.protocol_version != sdk::kProtocolVersion) {
    throw Error("it speaks step protocol version " + std::to_string(handshake.protocol_version) +
                    ", this gantry speaks version " + std::to_string(sdk::kProtocolVersion),
                "Use a plugin release made for gantry.v1.");
  }
  if (fields.size() >= 5 && fields[4] != "grpc") {
    throw Error(
        "its handshake names protocol '" + std::string(fields[4]) + "'; gantry speaks grpc only",
        "Serve the gantry.v1.Step service over gRPC.");
  }
  if (handshake.network == "unix") {
    if (handshake.address.empty() || handshake.address.front() != '/') {
      throw Error("its handshake's unix socket '" + handshake.address +
                  "' is not an absolute path");
    }
  } else if (handshake.network == "tcp") {
    if (!loopback_tcp(handshake.address)) {
      throw Error("its handshake's address '" + handshake.address + "' is not a loopback address",
                  "A step process listens on a unix socket or on 127.0.0.1.");
    }
  } else {
    throw Error("its handshake's network '" + handshake.network + "' is neither unix nor tcp");
  }
  return handshake;
}

}  // namespace gantry::host
