// The installed gantry's juju-refresh step, with a recording stand-in `juju` first on
// PATH (juju has no Debian package) and, for the stale-image guard, a real registry.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "registry_fixture.hpp"
#include "test_image.hpp"

namespace gantry::testing {
namespace {

const std::string kGantry = (std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();
const std::filesystem::path kFixtures =
    std::filesystem::path(GANTRY_SOURCE_DIR) / "tests" / "integration" / "fixtures" / "juju";
const std::string kPinned =
    "localhost:32000/myapp@sha256:9c48af3c4b86161b83974e851d9a5099a869398f435d42d0e91ed5326955a0ca";

class JujuRefreshTest : public ::testing::Test {
 protected:
  JujuRefreshTest() {
    std::filesystem::create_directories(bin_);
    std::filesystem::create_symlink(GANTRY_SOURCE_DIR "/tests/support/fake_juju.py", bin_ / "juju");
    std::filesystem::create_directories(state_);
  }

  /// Makes `juju COMMAND` answer the fixture files, in order.
  void answer(const std::string& command, const std::vector<std::string>& fixtures) {
    for (const auto& entry : std::filesystem::directory_iterator(state_)) {
      if (entry.path().filename().string().starts_with(command + "-") ||
          entry.path().filename() == command + ".count") {
        std::filesystem::remove(entry.path());
      }
    }
    for (std::size_t i = 0; i < fixtures.size(); ++i) {
      std::filesystem::copy_file(kFixtures / fixtures[i],
                                 state_ / (command + "-" + std::to_string(i + 1) + ".json"));
    }
  }
  /// A .charm as charm-pack writes one (metadata.yaml, manifest.yaml), zipped by Python's
  /// zipfile: `resources` as metadata.yaml lines, the manifest's base channel.
  void write_charm(const std::string& name,
                   const std::string& resources = "  flask-app-image:\n    type: oci-image\n",
                   const std::string& channel = "22.04") {
    const auto zipped = run_command(
        {.argv = {"/usr/bin/python3", "-c",
                  "import sys, zipfile\n"
                  "with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n"
                  "    z.writestr('metadata.yaml', 'name: myapp\\nsummary: s\\ndescription: d\\n"
                  "resources:\\n' + sys.argv[2])\n"
                  "    z.writestr('manifest.yaml', 'bases:\\n- name: ubuntu\\n  channel: \\'' + "
                  "sys.argv[3] + '\\'\\n  architectures: [amd64]\\n')\n",
                  (work_.path() / name).string(), resources, channel}});
    ASSERT_EQ(zipped.exit_code, 0) << zipped.err;
  }

  void fail(const std::string& command, const std::string& text) {
    write_file(state_ / (command + ".fail"), text);
  }

  CommandResult gantry(std::vector<std::string> args, const std::string& path = "") {
    args.insert(args.begin(), {kGantry, "juju-refresh"});
    args.push_back("--output=plain");
    return run_command({.argv = args,
                        .env = {{"FAKE_JUJU_DIR", state_.string()},
                                {"PATH", path.empty() ? bin_.string() + ":/usr/bin:/bin" : path}},
                        .unset_env = {"GANTRY_PLUGIN_PATH", "GANTRY_JUJU"},
                        .cwd = work_.path()});
  }

  /// Every juju command line run so far.
  std::vector<std::vector<std::string>> calls() const {
    std::vector<std::vector<std::string>> all;
    std::istringstream lines(read_file(state_ / "calls.jsonl"));
    for (std::string line; std::getline(lines, line);) {
      all.push_back(nlohmann::json::parse(line).get<std::vector<std::string>>());
    }
    return all;
  }
  std::vector<std::vector<std::string>> refreshes() const {
    std::vector<std::vector<std::string>> found;
    for (const auto& call : calls()) {
      if (!call.empty() && call[0] == "refresh") {
        found.push_back(call);
      }
    }
    return found;
  }

  sdk::TemporaryDirectory work_{"gantry-juju-test-"};
  std::filesystem::path bin_ = work_.path() / "bin";
  std::filesystem::path state_ = work_.path() / "juju-state";
};

using Args = std::vector<std::string>;

TEST_F(JujuRefreshTest, ANewImageAloneIsAResourceRefresh) {
  answer("status", {"status-charmhub-r11.json"});
  answer("resources", {"resources-r2.json"});
  const auto result =
      gantry({"--application", "myapp", "--resource", "flask-app-image=" + kPinned});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(refreshes(),
            (std::vector<Args>{{"refresh", "myapp", "--resource", "flask-app-image=" + kPinned}}));
  EXPECT_EQ(calls().front(), (Args{"status", "myapp", "--format=json"}));
  EXPECT_NE(result.out.find("resources=flask-app-image=" + kPinned + "\n"), std::string::npos);
  EXPECT_NE(result.out.find("revision=11\n"), std::string::npos) << result.out;
}

TEST_F(JujuRefreshTest, ALocalCharmIsRefreshedWithItsPathAndImage) {
  answer("status", {"status-local-r3.json", "status-local-r4-active.json"});
  answer("resources", {"resources-r2.json"});
  write_charm("myapp_ubuntu-22.04-amd64.charm");
  const auto result =
      gantry({"--application", "myapp", "--model", "flask", "--path",
              "myapp_ubuntu-22.04-amd64.charm", "--resource", "flask-app-image=" + kPinned});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(refreshes(),
            (std::vector<Args>{{"refresh", "-m", "flask", "myapp", "--path",
                                (work_.path() / "myapp_ubuntu-22.04-amd64.charm").string(),
                                "--resource", "flask-app-image=" + kPinned}}));
  EXPECT_NE(result.out.find("revision=4\n"), std::string::npos) << result.out;
}

TEST_F(JujuRefreshTest, TheSameCharmAndImageAgainIsUpToDateAndNotRefreshed) {
  // Before and after the first refresh; every later `juju status` and `juju resources`
  // answers the last: nobody else refreshed since.
  answer("status", {"status-local-r3.json", "status-local-r4-active.json"});
  answer("resources", {"resources-r2.json", "resources-r3.json"});
  write_charm("myapp.charm");
  const Args args{"--application", "myapp",      "--path",
                  "myapp.charm",   "--resource", "flask-app-image=" + kPinned};
  const auto first = gantry(args);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(refreshes().size(), 1U);

  const auto again = gantry(args);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(refreshes().size(), 1U) << "nothing changed: juju refresh must not run";
  EXPECT_NE(again.err.find("myapp already runs this charm (revision 4) and these images"),
            std::string::npos)
      << again.err;
  EXPECT_NE(again.err.find("(up to date)"), std::string::npos) << again.err;
  EXPECT_NE(again.out.find("revision=4\n"), std::string::npos) << again.out;

  // Another charm file, or the same one after someone refreshed to another revision, runs.
  write_charm("myapp.charm", "  flask-app-image:\n    type: oci-image\n  extra:\n    type: file\n");
  EXPECT_EQ(gantry(args).exit_code, 0);
  EXPECT_EQ(refreshes().size(), 2U);
  answer("status", {"status-local-r3.json"});
  EXPECT_EQ(gantry(args).exit_code, 0);
  EXPECT_EQ(refreshes().size(), 3U) << "juju reports another charm revision than gantry deployed";
}

TEST_F(JujuRefreshTest, ALocalCharmWithoutItsPathIsRefusedBeforeJujuRuns) {
  answer("status", {"status-local-r3.json"});
  const auto result =
      gantry({"--application", "myapp", "--resource", "flask-app-image=" + kPinned});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("myapp runs a charm deployed from a local path, so juju refresh needs "
                            "the charm file"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Pass --path ./myapp_*.charm"), std::string::npos);
  EXPECT_TRUE(refreshes().empty());
}

TEST_F(JujuRefreshTest, StoreCharmsTakeChannelRevisionSwitchAndFlags) {
  answer("status", {"status-charmhub-r11.json"});
  ASSERT_EQ(gantry({"--application", "myapp", "--channel", "2/stable", "--revision", "12",
                    "--trust", "--force-units", "--base", "ubuntu@22.04"})
                .exit_code,
            0);
  ASSERT_EQ(gantry({"--application", "myapp", "--switch", "other-charm"}).exit_code, 0);
  EXPECT_EQ(refreshes(),
            (std::vector<Args>{{"refresh", "myapp", "--channel", "2/stable", "--revision", "12",
                                "--base", "ubuntu@22.04", "--trust", "--force-units"},
                               {"refresh", "myapp", "--switch", "other-charm"}}));
}

TEST_F(JujuRefreshTest, APathWithAChannelIsRefused) {
  const auto result = gantry({"--application", "myapp", "--path", "x.charm", "--channel", "edge"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("--path cannot be combined with --channel, --revision or --switch"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(calls().empty());
}

TEST_F(JujuRefreshTest, KnownJujuFailuresBecomeAdvice) {
  answer("status", {"status-charmhub-r11.json"});
  answer("resources", {"resources-r2.json"});
  fail("refresh", "ERROR already running charm \"myapp\"\n");
  auto result = gantry({"--application", "myapp", "--channel", "stable"});
  EXPECT_NE(result.err.find("the application already runs this charm: ERROR already running charm"),
            std::string::npos)
      << result.err;

  const auto unknown = gantry({"--application", "myapp", "--resource", "app-image=" + kPinned});
  EXPECT_NE(unknown.err.find("the charm of myapp has no resource 'app-image'"), std::string::npos)
      << unknown.err;
  EXPECT_NE(unknown.err.find("Its resources: flask-app-image."), std::string::npos);

  answer("status", {"status-empty.json"});
  const auto missing = gantry({"--application", "myapp", "--channel", "stable"});
  EXPECT_NE(missing.err.find("application myapp is not in the current model"), std::string::npos)
      << missing.err;

  fail("status",
       "ERROR cannot connect to API: dial tcp 10.76.244.137:17070: connect: connection refused\n");
  const auto unreachable = gantry({"--application", "myapp"});
  EXPECT_NE(unreachable.err.find("juju cannot reach its controller"), std::string::npos)
      << unreachable.err;

  fail("status", "ERROR not logged in\n\nPlease use \"juju login\" to log in.\n");
  const auto logged_out = gantry({"--application", "myapp"});
  EXPECT_NE(logged_out.err.find("juju is not logged in to a controller: ERROR not logged in"),
            std::string::npos)
      << logged_out.err;
  EXPECT_NE(logged_out.err.find("Recommended resolution: Run `juju login`"), std::string::npos);
  EXPECT_EQ(refreshes().size(), 1U);
}

TEST_F(JujuRefreshTest, WaitsUntilEveryUnitSettlesOnTheNewRevision) {
  answer("status", {"status-local-r3.json", "status-local-r4-upgrading.json",
                    "status-local-r4-upgrading.json", "status-local-r4-active.json"});
  answer("resources", {"resources-r2.json"});
  write_charm("myapp.charm");
  const auto result = gantry({"--application", "myapp", "--path", "myapp.charm", "--resource",
                              "flask-app-image=" + kPinned, "--wait", "--poll-interval", "100ms"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("myapp/0 maintenance/executing: refreshing"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("myapp settled on revision 4"), std::string::npos);
}

TEST_F(JujuRefreshTest, WaitingGivesUpAtTheTimeout) {
  answer("status", {"status-local-r3.json", "status-local-r4-upgrading.json"});
  write_charm("myapp.charm");
  const auto result = gantry({"--application", "myapp", "--path", "myapp.charm", "--wait",
                              "--timeout", "1s", "--poll-interval", "100ms"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("timed out after 1s waiting for myapp to settle: myapp/0 is "
                            "maintenance/executing: refreshing"),
            std::string::npos)
      << result.err;
}

TEST_F(JujuRefreshTest, ABlockedUnitFailsTheStepWithItsMessage) {
  answer("status", {"status-local-r3.json", "status-local-r4-blocked.json"});
  write_charm("myapp.charm");
  const auto result = gantry(
      {"--application", "myapp", "--path", "myapp.charm", "--wait", "--poll-interval", "100ms"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("myapp/0 is blocked: migrate.sh failed: relation \"users\" does not "
                            "exist"),
            std::string::npos)
      << result.err;
}

TEST_F(JujuRefreshTest, DryRunPrintsTheCommandAndChangesNothing) {
  answer("status", {"status-charmhub-r11.json"});
  answer("resources", {"resources-r2.json"});
  const auto result =
      gantry({"--application", "myapp", "--resource", "flask-app-image=" + kPinned, "--dry-run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("would run: juju refresh myapp --resource flask-app-image=" + kPinned),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(refreshes().empty());
}

TEST_F(JujuRefreshTest, WithoutJujuItSaysHowToGetIt) {
  const auto result = gantry({"--application", "myapp"}, "/nonexistent");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot run juju: command 'juju' was not found on PATH"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("sudo snap install juju --classic"), std::string::npos);
  answer("status", {"status-charmhub-r11.json"});
  const auto named =
      gantry({"--application", "myapp", "--juju", (bin_ / "juju").string(), "--channel", "stable"},
             "/nonexistent");
  EXPECT_EQ(named.exit_code, 0) << named.err;
}

TEST_F(JujuRefreshTest, TheStaleImageGuardRefusesAnOldTagWithANewImage) {
  RegistryFixture registry;
  const std::string tag_02 = registry.host() + "/myapp:0.2";
  const auto push = [&](const std::string& archive, std::uint32_t seed, const std::string& ref) {
    const auto image = write_test_archive(work_.path() / archive, "0.2", {1000}, seed);
    const auto pushed = run_command({.argv = {kGantry, "copy", "-q", "--dest-tls-verify=false",
                                              "oci-archive:" + archive, "docker://" + ref},
                                     .cwd = work_.path()});
    EXPECT_EQ(pushed.exit_code, 0) << pushed.err;
    return image.manifest_digest.str();
  };
  answer("status", {"status-charmhub-r11.json"});
  const std::vector<std::string> guard{"--registry-tls-verify=false", "--application", "myapp"};
  const auto with = [&](const std::string& resource) {
    auto args = guard;
    args.insert(args.end(), {"--resource", "flask-app-image=" + resource});
    return gantry(args);
  };

  // First deploy of 0.2: gantry did not deploy what runs, so it can only warn.
  const auto first_digest = push("a.rock", 1, tag_02);
  answer("resources", {"resources-r2.json", "resources-r3.json"});
  const auto first = with(tag_02);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("gantry did not deploy the image myapp runs"), std::string::npos);

  // 0.2 is pushed again with other content: deploying the same tag would change nothing.
  const auto second_digest = push("b.rock", 2, tag_02);
  answer("resources", {"resources-r3.json"});
  const auto stale = with(tag_02);
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_NE(
      stale.err.find("resource flask-app-image: " + tag_02 + " now names image " + second_digest +
                     ", but myapp runs " + first_digest + " under the same tag"),
      std::string::npos)
      << stale.err;
  EXPECT_NE(stale.err.find("Bump `version` in rockcraft.yaml"), std::string::npos);
  EXPECT_NE(
      stale.err.find("--resource flask-app-image=" + registry.host() + "/myapp@" + second_digest),
      std::string::npos);
  EXPECT_EQ(refreshes().size(), 1U) << "the stale refresh never reached juju";

  // By digest, or under a new tag, it is safe.
  answer("resources", {"resources-r3.json", "resources-r4.json"});
  EXPECT_EQ(with(registry.host() + "/myapp@" + second_digest).exit_code, 0);
  push("b.rock", 2, registry.host() + "/myapp:0.3");
  answer("resources", {"resources-r4.json"});
  const auto bumped = with(registry.host() + "/myapp:0.3");
  EXPECT_EQ(bumped.exit_code, 0) << bumped.err;
  EXPECT_EQ(refreshes().size(), 3U);
}

TEST_F(JujuRefreshTest, APathThatIsNotACharmZipIsAClearError) {
  answer("status", {"status-local-r3.json"});
  write_file(work_.path() / "myapp.charm", "not a zip, just text that is long enough\n");
  const auto result = gantry({"--application", "myapp", "--path", "myapp.charm"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("--path " + (work_.path() / "myapp.charm").string() +
                            " is not a charm: " + (work_.path() / "myapp.charm").string() +
                            " is not a zip archive"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(refreshes().empty());
}

TEST_F(JujuRefreshTest, ACharmForAnotherBaseIsRefusedBeforeJujuRefreshRuns) {
  answer("status", {"status-local-r3.json"});
  write_charm("myapp_amd64.charm", "  flask-app-image:\n    type: oci-image\n", "24.04");
  const auto result = gantry({"--application", "myapp", "--path", "myapp_amd64.charm"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("myapp_amd64.charm is built for ubuntu@24.04, but myapp runs on "
                            "ubuntu@22.04"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(refreshes().empty());
}

TEST_F(JujuRefreshTest, TheNewCharmsMetadataDecidesWhichResourcesExist) {
  answer("status", {"status-local-r3.json", "status-local-r4-active.json"});
  answer("resources", {"resources-r2.json"});
  write_charm("myapp.charm",
              "  flask-app-image:\n    type: oci-image\n  worker-image:\n    type: oci-image\n");
  const auto added = gantry(
      {"--application", "myapp", "--path", "myapp.charm", "--resource", "worker-image=" + kPinned});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.err.find("resource worker-image is new in this charm"), std::string::npos)
      << added.err;
  ASSERT_EQ(refreshes().size(), 1U);

  const auto unknown = gantry(
      {"--application", "myapp", "--path", "myapp.charm", "--resource", "other-image=" + kPinned});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("myapp.charm declares no resource 'other-image'"), std::string::npos)
      << unknown.err;
  EXPECT_NE(unknown.err.find("Its metadata.yaml declares: flask-app-image, worker-image."),
            std::string::npos);
  EXPECT_EQ(refreshes().size(), 1U);
}

}  // namespace
}  // namespace gantry::testing
