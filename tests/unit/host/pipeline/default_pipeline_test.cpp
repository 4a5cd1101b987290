#include "pipeline/default_pipeline.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "cli/usage_error.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "pipeline/pipeline_parser.hpp"

namespace gantry::host {
namespace {

namespace fs = std::filesystem;

class DefaultPipelineYaml : public ::testing::Test {
 protected:
  void touch(const std::string& name) {
    fs::create_directories((dir_.path() / name).parent_path());
    std::ofstream(dir_.path() / name) << "name: x\n";
  }
  std::string yaml(DefaultPipelineSettings settings = {}) {
    settings.project_dir = dir_.path();
    return default_pipeline_yaml(settings);
  }
  sdk::TemporaryDirectory dir_{"gantry-default-pipeline-yaml-"};
};

TEST(DefaultPipelineLoopback, OnlyLoopbackHostsAreLoopback) {
  EXPECT_TRUE(is_loopback_registry("localhost:32000"));
  EXPECT_TRUE(is_loopback_registry("127.0.0.1:5000"));
  EXPECT_TRUE(is_loopback_registry("127.1.2.3"));
  EXPECT_TRUE(is_loopback_registry("[::1]:5000"));
  EXPECT_FALSE(is_loopback_registry("localhost.example.com:5000"));
  EXPECT_FALSE(is_loopback_registry("ghcr.io"));
  EXPECT_FALSE(is_loopback_registry("10.0.0.1:32000"));
}

TEST_F(DefaultPipelineYaml, ATwelveFactorProjectGetsTheFourStepsAndParsesAsAPipeline) {
  touch("rockcraft.yaml");
  touch("charm/charmcraft.yaml");
  const std::string text = yaml();
  const auto pipeline = parse_pipeline(text, dir_.path() / "gantry.yaml");
  ASSERT_EQ(pipeline.steps.size(), 4U);
  EXPECT_EQ(pipeline.steps[0].uses, "rock-pack");
  EXPECT_EQ(pipeline.steps[1].uses, "oci-push");
  EXPECT_EQ(pipeline.steps[2].uses, "charm-pack");
  EXPECT_EQ(pipeline.steps[3].uses, "juju-refresh");
  // The guide's registry, unverified only because it is on loopback; the image by digest.
  EXPECT_NE(text.find("docker://localhost:32000/"), std::string::npos);
  EXPECT_NE(text.find("tls-verify: false"), std::string::npos);
  EXPECT_NE(text.find("=${{ steps.push.outputs.pinned }}"), std::string::npos);
  EXPECT_EQ(text.find("dry-run"), std::string::npos);
}

TEST_F(DefaultPipelineYaml, ARemoteRegistryIsVerifiedUnlessAskedAndNoJujuMeansADryRun) {
  touch("rockcraft.yaml");
  touch("charmcraft.yaml");
  DefaultPipelineSettings settings;
  settings.registry = "registry.example:5000";
  settings.juju_available = false;
  std::string text = yaml(settings);
  EXPECT_EQ(text.find("tls-verify"), std::string::npos);
  EXPECT_NE(text.find("dry-run: true"), std::string::npos);
  EXPECT_NE(text.find("project: \".\""), std::string::npos);
  settings.registry_tls_verify = false;
  EXPECT_NE(yaml(settings).find("tls-verify: false"), std::string::npos);
}

TEST_F(DefaultPipelineYaml, AProjectWithNeitherHalfIsAUsageError) {
  EXPECT_THROW((void)yaml(), UsageError);
  touch("rockcraft.yaml");
  EXPECT_THROW((void)yaml(), UsageError);  // an image-only refresh needs --application
}

}  // namespace
}  // namespace gantry::host
