// `gantry serve` and `gantry run --remote`, both the installed gantry, on loopback and
// unix sockets: tokens, TLS, artifacts, cancellation, two clients, hostile inputs.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <thread>

#include "command.hpp"
#include "eventually.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kGantry = std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry";
const std::filesystem::path kPlugins = GANTRY_TEST_PLUGIN_DIR;
constexpr const char* kToken = "s3cret-runner-token";

const char* const kPipeline = R"(name: remote
steps:
  make:
    uses: exec
    with:
      command: sh
      args: ["-c", "mkdir -p out && printf 'built remotely' > out/app.txt && chmod 755 out/app.txt"]
      artifacts: [out/app.txt]
)";

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(token_file_, std::string(kToken) + "\n");
    write_file(project_.path() / "gantry.yaml", kPipeline);
  }
  void TearDown() override {
    if (runner_) {
      runner_->signal(SIGTERM);
      runner_->wait();
    }
  }

  /// Starts `gantry serve` with `options` (the sleeper test plugin on its path) and
  /// returns the address it announced.
  std::string start_runner(std::vector<std::string> options) {
    std::vector<std::string> argv{kGantry.string(), "serve", "--workdir",
                                  (server_.path() / "work").string()};
    argv.insert(argv.end(), options.begin(), options.end());
    runner_ = std::make_unique<BackgroundCommand>(
        CommandSpec{.argv = argv,
                    .env = {{"GANTRY_PLUGIN_PATH", (kPlugins / "sleeper").string()}},
                    .unset_env = {"GANTRY_TOKEN"},
                    .cwd = server_.path()});
    std::string address;
    const bool announced = eventually(
        [&] {
          const auto text = read_file(runner_->out_file());
          const auto at = text.find("listening on ");
          const auto end = text.find('\n', at);
          if (at == std::string::npos || end == std::string::npos) {
            return false;
          }
          address = text.substr(at + 13, end - at - 13);
          return true;
        },
        20s);
    EXPECT_TRUE(announced) << "the runner did not start";
    return address;
  }

  std::string tcp_runner_with_token() {
    return start_runner({"--listen", "127.0.0.1:0", "--token-file", token_file_.string()});
  }

  CommandSpec client_spec(std::vector<std::string> args,
                          std::map<std::string, std::string> env = {}) const {
    args.insert(args.begin(), kGantry.string());
    return {
        .argv = args, .env = std::move(env), .unset_env = {"GANTRY_TOKEN"}, .cwd = project_.path()};
  }
  CommandResult client(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    return run_command(client_spec(std::move(args), std::move(env)));
  }

  /// A CA, a certificate for 127.0.0.1 signed by it, and a client certificate.
  void make_certificates() {
    const auto dir = server_.path();
    const std::string script = R"(set -e
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout ca.key -out ca.pem 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout client.key -out client.csr 2>/dev/null
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem 2>/dev/null
)";
    const auto made = run_command({.argv = {"sh", "-c", script}, .cwd = dir});
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  sdk::TemporaryDirectory server_{"gantry-runner-"};
  sdk::TemporaryDirectory project_{"gantry-remote-project-"};
  std::filesystem::path token_file_ = server_.path() / "token";
  std::unique_ptr<BackgroundCommand> runner_;
};

TEST_F(RunnerTest, APipelineRunsThereAndItsArtifactsComeBackWithTheirDigests) {
  const auto address = tcp_runner_with_token();
  const auto result = client(
      {"--output", "plain", "run", "--remote", address, "--token-file", token_file_.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto artifact = project_.path() / "out" / "app.txt";
  EXPECT_EQ(read_file(artifact), "built remotely");
  struct stat info {};
  ASSERT_EQ(::stat(artifact.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0755U) << "the mode comes back too";
  // sha256 of "built remotely", as the local run log shows it for the local path.
  const auto digest = run_command({.argv = {"sha256sum", artifact.string()}}).out.substr(0, 64);
  EXPECT_NE(result.err.find("[make] artifact file: " + artifact.string() + " sha256:" + digest),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("[make] succeeded"), std::string::npos) << result.err;
  EXPECT_TRUE(std::filesystem::exists(project_.path() / ".gantry" / "runs"))
      << "a remote run is logged locally like a local one";
}

TEST_F(RunnerTest, TheJsonOutputIsTheSameAsALocalRuns) {
  const auto address = start_runner({"--listen", "unix:" + (server_.path() / "r.sock").string()});
  const auto remote = client({"--output", "json", "run", "--remote", address});
  ASSERT_EQ(remote.exit_code, 0) << remote.err;
  const auto local = client({"--output", "json", "run"});
  ASSERT_EQ(local.exit_code, 0) << local.err;
  auto kinds = [](const std::string& text) {
    std::vector<std::string> found;
    for (std::size_t at = text.find("\"event\":\""); at != std::string::npos;
         at = text.find("\"event\":\"", at + 1)) {
      found.push_back(text.substr(at + 9, text.find('"', at + 9) - at - 9));
    }
    return found;
  };
  EXPECT_EQ(kinds(remote.out), kinds(local.out));
}

TEST_F(RunnerTest, AMissingOrWrongTokenIsRefusedAndNeverLogged) {
  const auto address = tcp_runner_with_token();
  const auto missing = client({"run", "--remote", address});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("refused the call: this runner needs a bearer token"),
            std::string::npos)
      << missing.err;
  const auto wrong = client({"run", "--remote", address}, {{"GANTRY_TOKEN", "guessed-token"}});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("refused the call: the bearer token is not this runner's"),
            std::string::npos)
      << wrong.err;
  EXPECT_EQ(wrong.err.find("guessed-token"), std::string::npos);
  runner_->signal(SIGTERM);
  const auto served = runner_->wait();
  runner_.reset();
  EXPECT_EQ(served.out.find("guessed-token"), std::string::npos);
  EXPECT_EQ(served.err.find("guessed-token"), std::string::npos);
  EXPECT_EQ(served.err.find(kToken), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(project_.path() / "out"));
}

TEST_F(RunnerTest, TlsAndClientCertificatesAreEnforced) {
  make_certificates();
  const auto dir = server_.path();
  const auto address =
      start_runner({"--listen", "127.0.0.1:0", "--token-file", token_file_.string(), "--tls-cert",
                    (dir / "server.pem").string(), "--tls-key", (dir / "server.key").string(),
                    "--tls-client-ca", (dir / "ca.pem").string()});
  const std::map<std::string, std::string> token{{"GANTRY_TOKEN", kToken}};
  const auto plain = client({"run", "--remote", address}, token);
  EXPECT_EQ(plain.exit_code, 1);
  EXPECT_NE(plain.err.find("cannot be reached"), std::string::npos) << plain.err;
  const auto no_client_cert =
      client({"run", "--remote", address, "--tls-ca", (dir / "ca.pem").string()}, token);
  EXPECT_EQ(no_client_cert.exit_code, 1) << "mTLS: a client without a certificate is refused";
  const auto mutual = client(
      {"--output", "plain", "run", "--remote", address, "--tls-ca", (dir / "ca.pem").string(),
       "--tls-cert", (dir / "client.pem").string(), "--tls-key", (dir / "client.key").string()},
      token);
  EXPECT_EQ(mutual.exit_code, 0) << mutual.err;
  EXPECT_EQ(read_file(project_.path() / "out" / "app.txt"), "built remotely");
}

TEST_F(RunnerTest, ItRefusesToListenBeyondLoopbackWithoutTlsAndAToken) {
  const auto result = run_command({.argv = {kGantry.string(), "serve", "--listen", "0.0.0.0:0",
                                            "--workdir", (server_.path() / "w").string()},
                                   .unset_env = {"GANTRY_TOKEN"}});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("refusing to serve on 0.0.0.0:0 without TLS and a token"),
            std::string::npos)
      << result.err;
}

TEST_F(RunnerTest, AnInvalidPipelineIsReportedWhereItIsWrong) {
  const auto address = start_runner({"--listen", "unix:" + (server_.path() / "r.sock").string()});
  write_file(project_.path() / "gantry.yaml", "steps:\n  a:\n    uses: no-such-step\n");
  const auto result = client({"run", "--remote", address});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find((project_.path() / "gantry.yaml").string() +
                            ":3:11: error: unknown step 'no-such-step'"),
            std::string::npos)
      << result.err;
}

TEST_F(RunnerTest, CancellingTheClientCancelsTheRemoteRun) {
  const auto address = start_runner({"--listen", "unix:" + (server_.path() / "r.sock").string()});
  write_file(project_.path() / "gantry.yaml",
             "steps:\n  slow:\n    uses: sleeper\n    with:\n      ms: 60000\n");
  BackgroundCommand run(client_spec({"--output", "plain", "run", "--remote", address}));
  std::this_thread::sleep_for(1500ms);
  const auto started = std::chrono::steady_clock::now();
  run.signal(SIGINT);
  const auto result = run.wait(30s);
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  // The runner is free again: another run goes through at once.
  write_file(project_.path() / "gantry.yaml", kPipeline);
  EXPECT_EQ(client({"run", "--remote", address}).exit_code, 0);
}

TEST_F(RunnerTest, GantryCancelStopsARunFromAnotherTerminal) {
  const auto address =
      start_runner({"--listen", "127.0.0.1:0", "--token-file", token_file_.string()});
  write_file(project_.path() / "gantry.yaml",
             "steps:\n  slow:\n    uses: sleeper\n    with:\n      ms: 60000\n");
  BackgroundCommand run(
      client_spec({"--output", "json", "run", "--remote", address}, {{"GANTRY_TOKEN", kToken}}));
  std::string run_id;
  ASSERT_TRUE(eventually(
      [&] {
        const auto text = read_file(run.out_file());
        const auto at = text.find("\"remote_run\":\"");
        if (at == std::string::npos || text.find("step-started") == std::string::npos) {
          return false;
        }
        run_id = text.substr(at + 14, text.find('"', at + 14) - at - 14);
        return true;
      },
      20s))
      << read_file(run.out_file());

  const auto unknown =
      client({"cancel", "no-such-run", "--remote", address}, {{"GANTRY_TOKEN", kToken}});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("has no run no-such-run"), std::string::npos) << unknown.err;
  const auto refused = client({"cancel", run_id, "--remote", address});
  EXPECT_EQ(refused.exit_code, 1) << "no token";

  const auto started = std::chrono::steady_clock::now();
  const auto cancelled =
      client({"cancel", run_id, "--remote", address}, {{"GANTRY_TOKEN", kToken}});
  EXPECT_EQ(cancelled.exit_code, 0) << cancelled.err;
  EXPECT_NE(cancelled.out.find("cancelled run " + run_id), std::string::npos) << cancelled.out;
  const auto result = run.wait(30s);
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);

  const auto again = client({"cancel", run_id, "--remote", address}, {{"GANTRY_TOKEN", kToken}});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("had already ended"), std::string::npos) << again.out;
  runner_->signal(SIGTERM);
  const auto log = runner_->wait();
  runner_.reset();
  EXPECT_NE(log.err.find("run " + run_id + ": cancel requested"), std::string::npos) << log.err;
  EXPECT_NE(log.err.find("run " + run_id + ": cancelled"), std::string::npos) << log.err;
}

TEST_F(RunnerTest, TwoClientsRunAtOnceAndAThirdWaitsItsTurn) {
  const auto address =
      start_runner({"--listen", "unix:" + (server_.path() / "r.sock").string(), "--max-runs", "2"});
  write_file(project_.path() / "gantry.yaml",
             "steps:\n  slow:\n    uses: sleeper\n    with:\n      ms: 3000\n");
  BackgroundCommand first(client_spec({"run", "--remote", address}));
  BackgroundCommand second(client_spec({"run", "--remote", address}));
  std::this_thread::sleep_for(1000ms);
  const auto third = client({"run", "--remote", address});
  EXPECT_EQ(third.exit_code, 1);
  EXPECT_NE(third.err.find("this runner already runs 2 pipelines"), std::string::npos) << third.err;
  EXPECT_EQ(first.wait(30s).exit_code, 0);
  EXPECT_EQ(second.wait(30s).exit_code, 0);
}

TEST_F(RunnerTest, AProjectLargerThanTheRunnerTakesIsRefused) {
  const auto address = start_runner(
      {"--listen", "unix:" + (server_.path() / "r.sock").string(), "--max-upload", "10000"});
  write_file(project_.path() / "big.bin", std::string(20000, 'x'));
  const auto result = client({"run", "--remote", address});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("this runner takes at most 10000 (gantry serve --max-upload)"),
            std::string::npos)
      << result.err;
}

TEST_F(RunnerTest, RunsOnSendsOneStepThereAndItsOutputsFeedTheLocalSteps) {
  const auto address = tcp_runner_with_token();
  write_file(project_.path() / "gantry.yaml", R"(name: split
steps:
  there:
    uses: exec
    runs-on: )" + address + R"(
    with:
      command: sh
      args: ["-c", "mkdir -p out && printf remote > out/r.txt && echo where=$PWD >> $GANTRY_OUTPUT"]
      outputs: [where]
      artifacts: [out/r.txt]
  here:
    uses: exec
    with:
      command: sh
      args: ["-c", "echo ran there in ${{ steps.there.outputs.where }}; pwd"]
)");
  const auto result = client({"--output", "plain", "run", "--token-file", token_file_.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("[here] ran there in " + (server_.path() / "work").string()),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("[here] " + project_.path().string()), std::string::npos);
  EXPECT_EQ(read_file(project_.path() / "out" / "r.txt"), "remote");
}

TEST_F(RunnerTest, PluginsListsTheRunnersStepsAsRemote) {
  const auto address = tcp_runner_with_token();
  const auto result =
      client({"plugins", "--remote", address, "--token-file", token_file_.string()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("sleeper"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("remote      Sleep, and stop early when cancelled"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("from runner " + address), std::string::npos);
  EXPECT_EQ(client({"plugins", "--remote", address}).exit_code, 1) << "no token";
}

TEST_F(RunnerTest, RunsOnAStepTheRunnerDoesNotOfferIsRefusedBeforeAnythingRuns) {
  const auto address = start_runner({"--listen", "unix:" + (server_.path() / "r.sock").string()});
  write_file(project_.path() / "gantry.yaml",
             "steps:\n  a:\n    uses: rock-pack-9000\n    runs-on: " + address + "\n");
  const auto result = client({"run"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("gantry.yaml:4:14: error: the runner at " + address +
                            " offers no step 'rock-pack-9000'"),
            std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace gantry::testing
