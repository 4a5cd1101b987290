#pragma once

#include <filesystem>
#include <string>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {

/// tests/support/token_issuer.py on a free loopback port: issues registry tokens to one
/// user, valid for `lifetime_seconds`, signed with a certificate made for it.
class TokenIssuerFixture {
 public:
  /// With `reject_first`, the first token is one the registry refuses.
  TokenIssuerFixture(std::string user, std::string password, int lifetime_seconds,
                     bool reject_first = false);

  /// The realm to configure the registry with: http://127.0.0.1:PORT/token.
  [[nodiscard]] const std::string& realm() const { return realm_; }
  [[nodiscard]] std::filesystem::path certificate() const { return dir_.path() / "cert.pem"; }
  /// Every token request so far, one JSON object per line.
  [[nodiscard]] std::string requests() const { return read_file(dir_.path() / "requests.log"); }

 private:
  sdk::TemporaryDirectory dir_{"gantry-token-issuer-"};
  std::string realm_;
  std::unique_ptr<BackgroundCommand> process_;
};

}  // namespace gantry::testing
