#pragma once

#include <netinet/in.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {

/// A real Debian `docker-registry` (distribution 2.8) on a free loopback port, with its
/// own config and data directory, stopped and removed when the fixture goes.
class RegistryFixture {
 public:
  struct Options {
    bool tls = false;    ///< serve https with a self-signed certificate
    std::string user{};  ///< with `password`: htpasswd (bcrypt) Basic auth
    std::string password{};
    std::string token_realm{};           ///< token mode: the issuer's URL …
    std::filesystem::path token_cert{};  ///< … and the certificate its tokens are signed with
  };

  explicit RegistryFixture(Options options);
  RegistryFixture() : RegistryFixture(Options{}) {}
  ~RegistryFixture();
  RegistryFixture(const RegistryFixture&) = delete;
  RegistryFixture& operator=(const RegistryFixture&) = delete;

  /// "127.0.0.1:PORT".
  [[nodiscard]] const std::string& host() const { return host_; }
  [[nodiscard]] const std::filesystem::path& certificate() const { return certificate_; }

  /// Kills the registry (SIGKILL, as a crash) and starts it again on the same port and data.
  void stop();
  void start();
  /// Freezes the registry (SIGSTOP: connections are accepted, nothing is answered), and
  /// lets it go on (SIGCONT).
  void pause() const;
  void resume() const;

 private:
  sdk::TemporaryDirectory dir_{"gantry-registry-"};
  std::string host_;
  std::filesystem::path certificate_;
  int pid_ = -1;
};

/// 127.0.0.1:port as a socket address.
[[nodiscard]] sockaddr_in loopback_address(int port);
/// A free TCP port on 127.0.0.1.
[[nodiscard]] int free_port();
/// Waits until something accepts connections on 127.0.0.1:port (false after 15 s).
[[nodiscard]] bool wait_for_port(int port);
/// Makes a self-signed certificate for localhost/127.0.0.1 in `dir` (cert.pem, key.pem).
void make_certificate(const std::filesystem::path& dir);

}  // namespace gantry::testing
