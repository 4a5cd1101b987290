#include "gantry/net/origin.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>

namespace gantry::net {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<Origin> Origin::of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::nullopt;
  }
  Origin origin;
  origin.scheme = lower(url.substr(0, scheme_end));
  if (origin.scheme != "http" && origin.scheme != "https") {
    return std::nullopt;
  }
  auto authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view port;
  if (authority.starts_with("[")) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      return std::nullopt;
    }
    origin.host = lower(authority.substr(0, close + 1));
    const auto rest = authority.substr(close + 1);
    if (rest.starts_with(":")) {
      port = rest.substr(1);
    } else if (!rest.empty()) {
      return std::nullopt;
    }
  } else {
    const auto colon = authority.rfind(':');
    origin.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
    }
  }
  if (origin.host.empty()) {
    return std::nullopt;
  }
  origin.port = origin.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), origin.port);
    if (error != std::errc() || end != port.data() + port.size() || origin.port <= 0 ||
        origin.port > 65535) {
      return std::nullopt;
    }
  }
  return origin;
}

bool Origin::is_loopback() const {
  if (host == "localhost" || host == "[::1]") {
    return true;
  }
  // 127.0.0.0/8 as an address: "127.0.0.1.evil.example" is a name, not loopback.
  in_addr address{};
  return ::inet_pton(AF_INET, host.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

std::string Origin::str() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::string resolve_url(const std::string& base, const std::string& reference) {
  const std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> url(curl_url(), &curl_url_cleanup);
  char* resolved = nullptr;
  if (!url || curl_url_set(url.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK ||
      curl_url_set(url.get(), CURLUPART_URL, reference.c_str(), 0) != CURLUE_OK ||
      curl_url_get(url.get(), CURLUPART_URL, &resolved, 0) != CURLUE_OK) {
    return reference;
  }
  std::string result(resolved);
  curl_free(resolved);
  return result;
}

std::string without_credentials(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    return url;
  }
  const auto authority_end = url.find_first_of("/?#", scheme + 3);
  const auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  if (at == std::string::npos || at < scheme) {
    return url;
  }
  return url.substr(0, scheme + 3) + url.substr(at + 1);
}

}  // namespace gantry::net
