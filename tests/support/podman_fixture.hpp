#pragma once

#include <memory>
#include <string>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {

/// `podman system service`, Debian's podman serving the Docker Engine API on a unix
/// socket, with its own storage (vfs) in a temporary directory.
class PodmanFixture {
 public:
  PodmanFixture();
  ~PodmanFixture();
  PodmanFixture(const PodmanFixture&) = delete;
  PodmanFixture& operator=(const PodmanFixture&) = delete;

  /// DOCKER_HOST for clients: unix:///…/podman.sock.
  [[nodiscard]] std::string docker_host() const;
  /// Runs podman against this fixture's storage, e.g. {"images", "--format", "…"}.
  CommandResult podman(std::vector<std::string> args) const;

 private:
  [[nodiscard]] std::vector<std::string> base() const;
  sdk::TemporaryDirectory dir_{"gantry-podman-"};
  std::unique_ptr<BackgroundCommand> service_;
};

}  // namespace gantry::testing
