#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gantry::net {

/// The scheme, host and port of a URL: what credentials are bound to. Authorization
/// given for one origin is never sent to another (RFC 6454 §5), whatever a redirect or
/// a Location header says.
struct Origin {
  std::string scheme;  ///< "http" or "https", lower-case
  std::string host;    ///< lower-case; an IPv6 address keeps its brackets
  int port = 0;        ///< explicit, or the scheme's default

  /// The origin of an absolute http(s) URL; nullopt for anything else.
  [[nodiscard]] static std::optional<Origin> of(std::string_view url);

  /// True for 127.0.0.0/8, ::1 and "localhost": traffic that never leaves the machine.
  [[nodiscard]] bool is_loopback() const;
  /// "https://host:port".
  [[nodiscard]] std::string str() const;

  friend bool operator==(const Origin&, const Origin&) = default;
};

/// `reference` (a Location header: absolute, or relative to `base`) as an absolute URL.
[[nodiscard]] std::string resolve_url(const std::string& base, const std::string& reference);

/// `url` without "user:password@", for messages and logs.
[[nodiscard]] std::string without_credentials(const std::string& url);

}  // namespace gantry::net
