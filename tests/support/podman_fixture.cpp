#include "podman_fixture.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

namespace gantry::testing {

std::vector<std::string> PodmanFixture::base() const {
  return {"podman",
          "--storage-driver",
          "vfs",
          "--root",
          (dir_.path() / "storage").string(),
          "--runroot",
          (dir_.path() / "run").string(),
          "--runtime",
          "runc",
          "--cgroup-manager",
          "cgroupfs",
          "--events-backend",
          "file"};
}

PodmanFixture::PodmanFixture() {
  auto argv = base();
  argv.insert(argv.end(), {"system", "service", "--time=0", docker_host()});
  service_ = std::make_unique<BackgroundCommand>(CommandSpec{.argv = argv});
  const auto socket = dir_.path() / "podman.sock";
  for (int i = 0; i < 500 && !std::filesystem::exists(socket); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(std::filesystem::exists(socket)) << "podman system service did not start";
}

PodmanFixture::~PodmanFixture() {
  service_->signal(SIGTERM);
  (void)service_->wait(std::chrono::seconds(20));
}

std::string PodmanFixture::docker_host() const {
  return "unix://" + (dir_.path() / "podman.sock").string();
}

CommandResult PodmanFixture::podman(std::vector<std::string> args) const {
  auto argv = base();
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command({.argv = argv});
}

}  // namespace gantry::testing
