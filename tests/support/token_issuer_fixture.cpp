#include "token_issuer_fixture.hpp"

#include <gtest/gtest.h>

#include "registry_fixture.hpp"

namespace gantry::testing {

TokenIssuerFixture::TokenIssuerFixture(std::string user, std::string password, int lifetime_seconds,
                                       bool reject_first) {
  make_certificate(dir_.path());
  const int port = free_port();
  realm_ = "http://127.0.0.1:" + std::to_string(port) + "/token";
  process_ = std::make_unique<BackgroundCommand>(
      CommandSpec{.argv = {"/usr/bin/python3", GANTRY_SOURCE_DIR "/tests/support/token_issuer.py",
                           std::to_string(port), (dir_.path() / "key.pem").string(),
                           (dir_.path() / "cert.pem").string(), std::move(user),
                           std::move(password), std::to_string(lifetime_seconds),
                           (dir_.path() / "requests.log").string(), reject_first ? "1" : "0"}});
  EXPECT_TRUE(wait_for_port(port)) << "the token issuer did not start";
}

}  // namespace gantry::testing
