// `gantry run` with no gantry.yaml in examples/flask-app: the bundled default pipeline
// (rock-pack -> oci-push beside charm-pack, then juju-refresh) against a real loopback
// docker-registry, read back with skopeo; the refresh as a dry run without juju, and for
// real with the recording stand-in juju on PATH.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "registry_fixture.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();
const fs::path kJujuFixtures = fs::path(GANTRY_SOURCE_DIR) / "tests/integration/fixtures/juju";

class DefaultPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The example as a user has it: its files, not this checkout's build state.
    fs::create_directories(project_);
    for (const auto& entry :
         fs::directory_iterator(fs::path(GANTRY_SOURCE_DIR) / "examples/flask-app")) {
      const std::string name = entry.path().filename().string();
      if (name == ".gantry" || name.ends_with(".rock") || name.ends_with(".charm")) {
        continue;
      }
      fs::copy(entry.path(), project_ / name, fs::copy_options::recursive);
    }
    fs::remove_all(project_ / "charm/.gantry");
    fs::create_directories(bin_);
  }

  CommandResult run(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv{kGantry, "--output=plain", "run"};
    argv.insert(argv.end(), args.begin(), args.end());
    env.emplace("PATH", bin_.string() + ":/usr/bin:/bin");
    return run_command(
        {.argv = argv,
         .env = env,
         .unset_env = {"GANTRY_PLUGIN_PATH", "GANTRY_JUJU", "GANTRY_REGISTRY", "SOURCE_DATE_EPOCH"},
         .cwd = project_,
         .timeout = std::chrono::seconds(600)});
  }

  /// The digest the registry serves for flask-app:0.1, as skopeo reads it.
  std::string registry_digest(const RegistryFixture& registry) {
    const auto inspected =
        run_command({.argv = {"skopeo", "inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                              "docker://" + registry.host() + "/flask-app:0.1"}});
    EXPECT_EQ(inspected.exit_code, 0) << inspected.err;
    std::string digest = inspected.out;
    while (!digest.empty() && digest.back() == '\n') {
      digest.pop_back();
    }
    return digest;
  }

  sdk::TemporaryDirectory work_{"gantry-default-pipeline-"};
  fs::path project_ = work_.path() / "flask-app";
  fs::path bin_ = work_.path() / "bin";
};

TEST_F(DefaultPipelineTest, WithoutJujuItPacksPushesByDigestAndPrintsTheRefresh) {
  const RegistryFixture registry;
  const auto first = run({"--registry", registry.host()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("running the bundled default pipeline"), std::string::npos);
  EXPECT_TRUE(fs::exists(project_ / "flask-app_0.1_amd64.rock"));
  EXPECT_TRUE(fs::exists(project_ / "flask-app_amd64.charm"));

  const std::string digest = registry_digest(registry);
  ASSERT_TRUE(digest.starts_with("sha256:")) << digest;
  const std::string refresh =
      "would run: juju refresh flask-app --path " + (project_ / "flask-app_amd64.charm").string() +
      " --resource flask-app-image=" + registry.host() + "/flask-app@" + digest;
  EXPECT_NE(first.err.find(refresh), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("dry run without juju"), std::string::npos);

  // rock-pack and charm-pack do not wait for each other.
  const auto charm_done = first.err.find("[charm] succeeded");
  const auto rock_done = first.err.find("[rock] succeeded");
  EXPECT_LT(first.err.find("[charm] started"), rock_done);
  EXPECT_LT(first.err.find("[rock] started"), charm_done);

  // Nothing changed: the same image and the same refresh, nothing packed again.
  const auto second = run({"--registry", registry.host()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find(refresh), std::string::npos) << second.err;
  EXPECT_EQ(second.err.find("Pulling"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("[rock] succeeded in"), std::string::npos);
  EXPECT_NE(second.err.find("(cached)"), std::string::npos) << second.err;
  for (const auto* step : {"[rock]", "[charm]"}) {
    const auto line = second.err.find(std::string(step) + " succeeded in");
    ASSERT_NE(line, std::string::npos) << step;
    EXPECT_EQ(second.err.substr(line, second.err.find('\n', line) - line).find("(cached)") ==
                  std::string::npos,
              false)
        << step << " was not cached:\n"
        << second.err;
  }
  EXPECT_NE(second.err.find("[push] succeeded in"), std::string::npos) << second.err;
  EXPECT_NE(second.err.find("already holds " + digest + ": nothing to push"), std::string::npos)
      << second.err;

  // A cached artifact that is gone is put back, checked by its digest.
  const std::string rock = read_file(project_ / "flask-app_0.1_amd64.rock");
  fs::remove(project_ / "flask-app_0.1_amd64.rock");
  const auto third = run({"--registry", registry.host()});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(read_file(project_ / "flask-app_0.1_amd64.rock"), rock);

  // --no-cache runs every step.
  const auto uncached = run({"--registry", registry.host(), "--no-cache"});
  ASSERT_EQ(uncached.exit_code, 0) << uncached.err;
  EXPECT_EQ(uncached.err.find("(cached)"), std::string::npos) << uncached.err;
}

TEST_F(DefaultPipelineTest, WithJujuOnPathTheRefreshRunsForReal) {
  const RegistryFixture registry;
  fs::create_symlink(GANTRY_SOURCE_DIR "/tests/support/fake_juju.py", bin_ / "juju");
  const fs::path state = work_.path() / "juju";
  fs::create_directories(state);
  fs::copy_file(kJujuFixtures / "status-local-r3.json", state / "status-1.json");
  fs::copy_file(kJujuFixtures / "status-local-r4-active.json", state / "status-2.json");
  fs::copy_file(kJujuFixtures / "resources-r3.json", state / "resources.json");

  const auto result = run({"--registry", registry.host(), "--application", "myapp"},
                          {{"FAKE_JUJU_DIR", state.string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string digest = registry_digest(registry);
  std::vector<std::string> refresh;
  std::istringstream calls(read_file(state / "calls.jsonl"));
  for (std::string line; std::getline(calls, line);) {
    const auto args = nlohmann::json::parse(line).get<std::vector<std::string>>();
    if (!args.empty() && args.front() == "refresh") {
      refresh = args;
    }
  }
  EXPECT_EQ(refresh,
            (std::vector<std::string>{
                "refresh", "myapp", "--path", (project_ / "flask-app_amd64.charm").string(),
                "--resource", "flask-app-image=" + registry.host() + "/flask-app@" + digest}));

  // Run again with nothing changed: every step is cached or finds its work done, and
  // juju is asked, not refreshed.
  const auto again = run({"--registry", registry.host(), "--application", "myapp"},
                         {{"FAKE_JUJU_DIR", state.string()}});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  for (const auto* step : {"rock", "charm", "push", "refresh"}) {
    const auto line = again.err.find(std::string("[") + step + "] succeeded in");
    ASSERT_NE(line, std::string::npos) << step << "\n" << again.err;
    const auto text = again.err.substr(line, again.err.find('\n', line) - line);
    EXPECT_TRUE(text.ends_with("(cached)") || text.ends_with("(up to date)")) << text;
  }
  std::size_t refreshes = 0;
  std::istringstream recorded(read_file(state / "calls.jsonl"));
  for (std::string line; std::getline(recorded, line);) {
    refreshes += line.starts_with("[\"refresh\"") ? 1 : 0;
  }
  EXPECT_EQ(refreshes, 1U);
}

TEST_F(DefaultPipelineTest, ThePrintedPipelineIsAFileAUserCanSaveAndRun) {
  const auto printed = run({"--print-pipeline", "--registry", "registry.example:5000"});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("docker://registry.example:5000/${{ steps.rock.outputs.name }}"),
            std::string::npos)
      << printed.out;
  EXPECT_EQ(printed.out.find("tls-verify: false"), std::string::npos)
      << "a registry that is not on loopback is verified";
  EXPECT_NE(printed.out.find("dry-run: true"), std::string::npos);
  write_file(project_ / "gantry.yaml", printed.out);
  const auto dry = run({"--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("The pipeline is valid."), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("refresh: juju-refresh"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("(after charm push)"), std::string::npos) << dry.out;
  EXPECT_FALSE(fs::exists(project_ / "flask-app_0.1_amd64.rock"));
}

TEST_F(DefaultPipelineTest, EitherHalfMayBeMissing) {
  fs::remove_all(project_ / "charm");
  const auto image_only = run({"--print-pipeline"});
  EXPECT_EQ(image_only.exit_code, 64);
  EXPECT_NE(image_only.err.find("--application"), std::string::npos) << image_only.err;
  const auto named =
      run({"--print-pipeline", "--application", "web", "--image-resource", "flask-app-image"});
  ASSERT_EQ(named.exit_code, 0) << named.err;
  EXPECT_EQ(named.out.find("charm-pack"), std::string::npos);
  EXPECT_NE(named.out.find("\"flask-app-image=${{ steps.push.outputs.pinned }}\""),
            std::string::npos)
      << named.out;

  fs::remove(project_ / "rockcraft.yaml");
  write_file(project_ / "charmcraft.yaml", "name: x\ntype: charm\n");
  const auto charm_only = run({"--print-pipeline"});
  ASSERT_EQ(charm_only.exit_code, 0) << charm_only.err;
  EXPECT_EQ(charm_only.out.find("rock-pack"), std::string::npos);
  EXPECT_EQ(charm_only.out.find("resource:"), std::string::npos);
  EXPECT_NE(charm_only.out.find("project: \".\""), std::string::npos) << charm_only.out;
}

}  // namespace
}  // namespace gantry::testing
