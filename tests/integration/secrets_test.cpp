// Secrets stay secret: pipelines carry recognisable secrets in every place that takes one
// (registry credentials, an auth file, exec's secret environment and arguments), and
// every output a user or a machine sees is searched for them: the terminal, `--output
// json`, the run logs under .gantry, `--dry-run`, and the errors of failed runs. Run
// logs are private and old ones are pruned.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <vector>

#include "command.hpp"
#include "gantry/net/encoding.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "registry_fixture.hpp"
#include "test_image.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

const std::string kUser = "robot";
const std::string kPassword = "Pa55-ZEBRA-creds";
const std::string kWrongPassword = "Wr0ng-OKAPI-creds";
const std::string kEnvToken = "tok-MARMOT-env";
const std::string kArgToken = "arg-WOMBAT-argv";
const std::string kKeyLine = "MIIEvQIBADANBgkqhkiG9w0BAQ-KOALA";  // a line of a multi-line secret

class SecretsTest : public ::testing::Test {
 protected:
  void SetUp() override { write_test_archive(work_.path() / "app.rock", "1.0", {3000}); }

  CommandResult gantry(std::vector<std::string> args) {
    args.insert(args.begin(), kGantry);
    const std::string key =
        "-----BEGIN PRIVATE KEY-----\n" + kKeyLine + "\n-----END PRIVATE KEY-----\n";
    return run_command({.argv = args,
                        .env = {{"HOME", (work_.path() / "home").string()},
                                {"API_TOKEN", kEnvToken},
                                {"ARG_TOKEN", kArgToken},
                                {"SIGNING_KEY", key}},
                        .unset_env = {"GANTRY_PLUGIN_PATH", "REGISTRY_AUTH_FILE", "DOCKER_CONFIG",
                                      "GANTRY_KEEP_RUNS"},
                        .cwd = work_.path()});
  }

  /// Everything gantry said, and every file it left under .gantry.
  std::string everything_seen(const CommandResult& result) {
    std::string seen = result.out + result.err;
    if (!fs::exists(work_.path() / ".gantry")) {
      return seen;
    }
    for (const auto& entry : fs::recursive_directory_iterator(work_.path() / ".gantry")) {
      if (entry.is_regular_file()) {
        seen += read_file(entry.path());
      }
    }
    return seen;
  }

  void expect_no_secret(const std::string& seen, const std::string& what) {
    for (const auto& secret : {kPassword, kWrongPassword, kEnvToken, kArgToken, kKeyLine,
                               net::base64(kUser + ":" + kPassword)}) {
      EXPECT_EQ(seen.find(secret), std::string::npos) << what << " shows " << secret;
    }
  }

  /// A pipeline using every secret-bearing place against `registry`, with `password`.
  void write_pipeline(const std::string& registry, const std::string& password,
                      const std::string& exec_status = "0") {
    write_file(work_.path() / "auth.json", R"({"auths": {")" + registry + R"(": {"auth": ")" +
                                               net::base64(kUser + ":" + password) + R"("}}})");
    std::string pipeline = R"(steps:
  push-creds:
    uses: oci-push
    with:
      source: oci-archive:app.rock
      destination: docker://REGISTRY/app:creds
      tls-verify: false
      creds: USER:PASSWORD
  push-authfile:
    uses: oci-push
    with:
      source: oci-archive:app.rock
      destination: docker://REGISTRY/app:authfile
      tls-verify: false
      authfile: auth.json
  shout:
    uses: exec
    with:
      command: sh
      args:
        - -c
        - |
          echo "env=$API_TOKEN"
          echo "arg=$1" >&2
          printf '%s' "$SIGNING_KEY"
          echo "token=$API_TOKEN" >> "$GANTRY_OUTPUT"
          exit STATUS
        - sh
      secret-env: [API_TOKEN, SIGNING_KEY]
      secret-args: [ARG_TOKEN]
      outputs: [token]
)";
    for (const auto& [placeholder, value] :
         {std::pair<std::string, std::string>{"REGISTRY", registry},
          {"USER:PASSWORD", kUser + ":" + password},
          {"STATUS", exec_status}}) {
      for (auto at = pipeline.find(placeholder); at != std::string::npos;
           at = pipeline.find(placeholder, at + value.size())) {
        pipeline.replace(at, placeholder.size(), value);
      }
    }
    write_file(work_.path() / "gantry.yaml", pipeline);
  }

  sdk::TemporaryDirectory work_{"gantry-secrets-"};
};

TEST_F(SecretsTest, ASucceedingRunShowsNoSecretInAnyOutput) {
  RegistryFixture registry({.user = kUser, .password = kPassword});
  write_pipeline(registry.host(), kPassword);

  const auto plain = gantry({"run", "--output=plain", "--verbosity=debug", "--jobs=1"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  // The lines were there, masked: the test would pass vacuously otherwise.
  EXPECT_NE(plain.err.find("env=****"), std::string::npos) << plain.err;
  EXPECT_NE(plain.err.find("arg=****"), std::string::npos) << plain.err;
  EXPECT_NE(everything_seen(plain).find(R"("token":"****")"), std::string::npos)
      << "the output, in the run log";
  EXPECT_NE(plain.err.find("running sh -c"), std::string::npos) << plain.err;
  expect_no_secret(everything_seen(plain), "--output plain --verbosity debug");

  const auto json = gantry({"run", "--output=json", "--verbosity=trace", "--no-cache"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("env=****"), std::string::npos) << json.out;
  expect_no_secret(everything_seen(json), "--output json");

  const auto dry = gantry({"run", "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("creds: ****"), std::string::npos) << dry.out;
  expect_no_secret(everything_seen(dry), "--dry-run");
}

TEST_F(SecretsTest, FailingRunsShowNoSecretInTheirErrors) {
  RegistryFixture registry({.user = kUser, .password = kPassword});

  write_pipeline(registry.host(), kWrongPassword, "3");
  const auto refused = gantry({"run", "--output=plain", "--keep-going", "--verbosity=debug"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("refused access"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("exited with status 3"), std::string::npos) << refused.err;
  expect_no_secret(everything_seen(refused), "a run refused by the registry");

  // Credentials without a user: the error explains the form without quoting the value.
  const std::string push =
      "steps:\n  push:\n    uses: oci-push\n    with:\n"
      "      source: oci-archive:app.rock\n"
      "      destination: docker://" +
      registry.host() +
      "/app:x\n"
      "      tls-verify: false\n";
  write_file(work_.path() / "gantry.yaml", push + "      creds: " + kPassword + "\n");
  const auto malformed = gantry({"run", "--output=json"});
  EXPECT_EQ(malformed.exit_code, 1);
  expect_no_secret(everything_seen(malformed), "malformed credentials");

  // A secret parameter of the wrong type is refused without its value.
  write_file(work_.path() / "gantry.yaml",
             push + "      creds: [" + kUser + ":" + kPassword + "]\n");
  const auto mistyped = gantry({"run", "--output=plain"});
  EXPECT_EQ(mistyped.exit_code, 64) << mistyped.err;
  EXPECT_NE(mistyped.err.find("creds"), std::string::npos) << mistyped.err;
  expect_no_secret(everything_seen(mistyped), "a mistyped secret parameter");
}

TEST_F(SecretsTest, SecretEnvNamingAMissingVariableFailsClearly) {
  write_file(work_.path() / "gantry.yaml",
             "steps:\n"
             "  shout:\n"
             "    uses: exec\n"
             "    with:\n"
             "      command: 'true'\n"
             "      secret-env: [NOT_SET_ANYWHERE]\n");
  const auto result = gantry({"run", "--output=plain"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("`secret-env` names NOT_SET_ANYWHERE, which is not in the command's "
                            "environment"),
            std::string::npos)
      << result.err;
}

TEST_F(SecretsTest, RunLogsArePrivateAndTheOldestArePruned) {
  write_file(work_.path() / "gantry.yaml",
             "steps:\n  hello:\n    uses: exec\n    with:\n      command: 'true'\n");
  for (int run = 0; run < 4; ++run) {
    ASSERT_EQ(gantry({"run", "--output=plain", "--no-cache"}).exit_code, 0);
  }
  const fs::path runs = work_.path() / ".gantry" / "runs";
  std::vector<std::pair<fs::file_time_type, fs::path>> made;
  for (const auto& entry : fs::directory_iterator(runs)) {
    made.emplace_back(entry.last_write_time(), entry.path());
  }
  std::sort(made.begin(), made.end());
  std::vector<fs::path> kept;  // oldest first
  for (const auto& [when, run] : made) {
    kept.push_back(run);
  }
  EXPECT_EQ(kept.size(), 4U);
  struct stat info {};
  ASSERT_EQ(::stat(runs.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);
  ASSERT_EQ(::stat(kept.front().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);
  ASSERT_EQ(::stat((kept.front() / "events.jsonl").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600U);

  const auto pruned = run_command({.argv = {kGantry, "run", "--output=plain", "--no-cache"},
                                   .env = {{"GANTRY_KEEP_RUNS", "2"}},
                                   .unset_env = {"GANTRY_PLUGIN_PATH"},
                                   .cwd = work_.path()});
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  std::vector<fs::path> left;
  for (const auto& entry : fs::directory_iterator(runs)) {
    left.push_back(entry.path().filename());
  }
  ASSERT_EQ(left.size(), 2U);
  EXPECT_NE(std::find(left.begin(), left.end(), kept.back().filename()), left.end())
      << "the newest earlier run is kept";

  const auto wrong = run_command({.argv = {kGantry, "run", "--output=plain"},
                                  .env = {{"GANTRY_KEEP_RUNS", "none"}},
                                  .unset_env = {"GANTRY_PLUGIN_PATH"},
                                  .cwd = work_.path()});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("GANTRY_KEEP_RUNS is 'none', not a number of runs"), std::string::npos)
      << wrong.err;
}

}  // namespace
}  // namespace gantry::testing
