#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "auth_challenge.hpp"
#include "gantry/net/http_client.hpp"
#include "gantry/oci/credentials.hpp"

namespace gantry::oci {

/// How a client authenticates to one registry: the challenge it learned, its credentials
/// and the access tokens it holds per scope. Thread-safe.
class RegistryAuth {
 public:
  /// `registry` is the registry's origin: token requests carry credentials only to a
  /// realm on an https origin, or on plain http when the registry itself is plain http
  /// on loopback (a local test registry and its token server).
  RegistryAuth(std::string host, net::Origin registry, std::optional<Credentials> credentials);

  /// Remembers the first Basic or Bearer challenge of a 401; false when there is none.
  bool learn(const std::string& www_authenticate);
  [[nodiscard]] bool challenged() const;

  /// The Authorization value for `repository` ("" when anonymous). `refused`, when given,
  /// is a value the registry just refused: a fresh token is fetched unless another thread
  /// already got one. Throws RegistryError when the token server refuses or fails.
  std::string authorization(net::HttpClient& http, const std::string& repository, bool push,
                            const std::string& refused = {});

 private:
  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  std::string fetch_token(net::HttpClient& http, const std::string& scope,
                          const std::string& repository);

  std::string host_;
  net::Origin registry_;
  std::optional<Credentials> credentials_;
  mutable std::mutex mutex_;
  std::optional<AuthChallenge> challenge_;
  std::map<std::string, Token> tokens_;  // by scope
};

}  // namespace gantry::oci
