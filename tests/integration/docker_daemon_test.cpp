// The installed gantry loading images into a Docker Engine API (podman system service).
#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "podman_fixture.hpp"
#include "test_image.hpp"

namespace gantry::testing {
namespace {

const std::string kGantry = (std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

TEST(DockerDaemonTest, LoadsARockIntoTheDaemonUnderItsName) {
  PodmanFixture podman;
  const sdk::TemporaryDirectory work;
  const auto image = write_test_archive(work.path() / "myapp_0.2_amd64.rock", "0.2", {200000, 1000},
                                        1, LayerCompression::kGzip);
  // The seed command line, with gantry for skopeo.
  const auto result =
      run_command({.argv = {kGantry, "copy", "--insecure-policy", "--output=plain",
                            "oci-archive:myapp_0.2_amd64.rock", "docker-daemon:myapp:0.2"},
                   .env = {{"DOCKER_HOST", podman.docker_host()}},
                   .cwd = work.path()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("reference=myapp:0.2\n"), std::string::npos) << result.out;
  const auto images =
      podman.podman({"images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"});
  EXPECT_EQ(images.out, "localhost/myapp:0.2 " + image.config.digest.str() + "\n") << images.err;
}

TEST(DockerDaemonTest, AnUnreachableDaemonIsAClearError) {
  const sdk::TemporaryDirectory work;
  write_test_archive(work.path() / "app.rock", "0.2", {10});
  const auto result = run_command(
      {.argv = {kGantry, "copy", "--output=plain", "oci-archive:app.rock", "docker-daemon:app:0.2"},
       .env = {{"DOCKER_HOST", "unix:///nonexistent/docker.sock"}},
       .cwd = work.path()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot reach the Docker daemon at unix:///nonexistent/docker.sock"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Recommended resolution: Start the Docker daemon"), std::string::npos);
}

}  // namespace
}  // namespace gantry::testing
