#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::oci {

/// One challenge of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`.
struct AuthChallenge {
  std::string scheme;  ///< lower-case: "basic", "bearer"
  std::map<std::string, std::string> params;
};

/// Every challenge in a WWW-Authenticate header value (RFC 7235 syntax, quoted strings).
[[nodiscard]] std::vector<AuthChallenge> parse_www_authenticate(std::string_view header);

}  // namespace gantry::oci
