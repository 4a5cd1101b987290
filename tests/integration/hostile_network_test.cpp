// The installed gantry against registries, token servers and mirrors that lie, fail or
// stall: a real docker-registry behind tests/support/fault_proxy.py, which injects the
// faults and records what it forwarded. Credentials must stay with their origin, retries
// must never corrupt data, and Ctrl-C must always work.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "apt_repository.hpp"
#include "command.hpp"
#include "fault_proxy.hpp"
#include "gantry/net/encoding.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "registry_fixture.hpp"
#include "test_image.hpp"
#include "token_issuer_fixture.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();
constexpr const char* kSecret = "t0ken-Pa55";

class HostileNetworkTest : public ::testing::Test {
 protected:
  CommandResult gantry(std::vector<std::string> args) {
    args.insert(args.begin(), kGantry);
    args.push_back("--output=plain");
    return run_command({.argv = args,
                        .env = {{"HOME", (work_.path() / "home").string()}},
                        .unset_env = {"GANTRY_PLUGIN_PATH", "REGISTRY_AUTH_FILE", "DOCKER_CONFIG",
                                      "XDG_RUNTIME_DIR"},
                        .cwd = work_.path()});
  }

  std::unique_ptr<BackgroundCommand> start_gantry(std::vector<std::string> args,
                                                  std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), kGantry);
    args.push_back("--output=plain");
    return std::make_unique<BackgroundCommand>(CommandSpec{
        .argv = args, .env = env, .unset_env = {"GANTRY_PLUGIN_PATH"}, .cwd = work_.path()});
  }

  /// How many recorded requests carried an Authorization header.
  static int with_authorization(const FaultProxy& proxy) {
    int count = 0;
    for (const auto& request : proxy.requests()) {
      count += request["headers"].contains("authorization") ? 1 : 0;
    }
    return count;
  }

  sdk::TemporaryDirectory work_{"gantry-hostile-net-"};
};

TEST_F(HostileNetworkTest, CredentialsNeverFollowAnUploadLocationToAnotherOrigin) {
  TokenIssuerFixture issuer("robot", kSecret, 300);
  RegistryFixture registry({.token_realm = issuer.realm(), .token_cert = issuer.certificate()});
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  // B is the same registry on another port: another origin.
  FaultProxy elsewhere(registry.host());
  FaultProxy front(registry.host(), json::array({{{"match", "POST /v2/"},
                                                  {"every", true},
                                                  {"action", "relocate"},
                                                  {"port", elsewhere.port()}}}));
  const auto result =
      gantry({"copy", "--dest-tls-verify=false", "--dest-creds", std::string("robot:") + kSecret,
              "oci-archive:app.rock", "docker://" + front.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err.find(kSecret), std::string::npos);
  EXPECT_GT(with_authorization(front), 0);
  ASSERT_GT(elsewhere.requests().size(), 0U) << "the upload went to the Location given";
  EXPECT_EQ(with_authorization(elsewhere), 0) << elsewhere.requests().front().dump();
}

TEST_F(HostileNetworkTest, CredentialsNeverFollowABlobRedirectToAnotherOrigin) {
  TokenIssuerFixture issuer("robot", kSecret, 300);
  RegistryFixture registry({.token_realm = issuer.realm(), .token_cert = issuer.certificate()});
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  const std::string creds = std::string("robot:") + kSecret;
  ASSERT_EQ(gantry({"copy", "--dest-tls-verify=false", "--dest-creds", creds,
                    "oci-archive:app.rock", "docker://" + registry.host() + "/app:0.2"})
                .exit_code,
            0);
  FaultProxy elsewhere(registry.host());
  FaultProxy front(registry.host(), json::array({{{"match", "GET /v2/app/blobs/"},
                                                  {"every", true},
                                                  {"action", "redirect"},
                                                  {"port", elsewhere.port()},
                                                  {"status", 307}}}));
  const auto result =
      gantry({"copy", "--src-tls-verify=false", "--src-creds", creds,
              "docker://" + front.host() + "/app:0.2", "oci:" + (work_.path() / "out").string()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  ASSERT_GT(elsewhere.count("GET", "/v2/app/blobs/"), 0);
  EXPECT_EQ(with_authorization(elsewhere), 0);
  EXPECT_FALSE(fs::exists(work_.path() / "out")) << "a refused copy leaves no layout";
}

TEST_F(HostileNetworkTest, AChallengeFromAnotherOriginNeverGetsTheLogin) {
  RegistryFixture registry({.user = "alice", .password = kSecret});
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  const std::string creds = std::string("alice:") + kSecret;
  ASSERT_EQ(gantry({"copy", "--dest-tls-verify=false", "--dest-creds", creds,
                    "oci-archive:app.rock", "docker://" + registry.host() + "/app:0.2"})
                .exit_code,
            0);
  // A blob redirect leads to a host that asks for a login at a realm of its own.
  FaultProxy realm(registry.host(), json::array({{{"match", "* /"},
                                                  {"every", true},
                                                  {"action", "status"},
                                                  {"status", 200},
                                                  {"body", R"({"token":"stolen"})"}}}));
  FaultProxy elsewhere(
      registry.host(),
      json::array({{{"match", "* /"},
                    {"every", true},
                    {"action", "status"},
                    {"status", 401},
                    {"headers",
                     {{"WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:" +
                                               std::to_string(realm.port()) + "/token\""}}}}}));
  FaultProxy front(registry.host(), json::array({{{"match", "GET /v2/app/blobs/"},
                                                  {"every", true},
                                                  {"action", "redirect"},
                                                  {"port", elsewhere.port()}}}));
  const auto result =
      gantry({"copy", "--src-tls-verify=false", "--src-creds", creds,
              "docker://" + front.host() + "/app:0.2", "oci:" + (work_.path() / "out").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_GT(elsewhere.requests().size(), 0U);
  EXPECT_EQ(realm.requests().size(), 0U) << realm.requests().front().dump();
  EXPECT_EQ(result.err.find(kSecret), std::string::npos);
}

TEST_F(HostileNetworkTest, CredentialsInAnAptSourceNeverReachMessagesOrTheRunLog) {
  AptRepository repo;
  repo.add({.name = "app", .files = {{"usr/bin/app", "x"}}});
  repo.publish(true, [](std::string& packages) {
    packages.replace(packages.find("Package: app"), 12, "Package: ../x");
  });
  const std::string uri = repo.serve();
  const std::string with_login =
      "http://alice:" + std::string(kSecret) + "@" + uri.substr(std::string("http://").size());
  write_file(work_.path() / "sources.list", repo.sources_line(with_login));
  const auto result =
      gantry({"deb-stage", "--sources", "sources.list", "--packages", "app", "--into",
              (work_.path() / "into").string(), "--cache-dir", (work_.path() / "cache").string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("is not valid in Debian"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(kSecret), std::string::npos) << result.err;
  for (const auto& entry : fs::recursive_directory_iterator(work_.path() / ".gantry")) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(read_file(entry.path()).find(kSecret), std::string::npos) << entry.path();
    }
  }
}

TEST_F(HostileNetworkTest, APasswordIsNeverSentToATokenServerOverPlainHttp) {
  TokenIssuerFixture issuer("robot", kSecret, 300);
  RegistryFixture registry(
      {.tls = true, .token_realm = issuer.realm(), .token_cert = issuer.certificate()});
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  const auto result =
      gantry({"copy", "--dest-tls-verify=false", "--dest-creds", std::string("robot:") + kSecret,
              "oci-archive:app.rock", "docker://" + registry.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("to a token server over plain http"), std::string::npos) << result.err;
  EXPECT_EQ(issuer.requests(), "") << "nothing reached the token server";
}

TEST_F(HostileNetworkTest, AnIdentityTokenIsExchangedAsARefreshTokenNotSentAsAPassword) {
  TokenIssuerFixture issuer("robot", kSecret, 300);
  RegistryFixture registry({.token_realm = issuer.realm(), .token_cert = issuer.certificate()});
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  write_file(work_.path() / "auth.json", R"({"auths":{")" + registry.host() + R"(":{"auth":")" +
                                             net::base64("robot:") + R"(","identitytoken":")" +
                                             kSecret + R"("}}})");
  const auto result = gantry({"copy", "--dest-tls-verify=false", "--dest-authfile", "auth.json",
                              "oci-archive:app.rock", "docker://" + registry.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(issuer.requests().find(R"("authorized": true, "method": "POST", )"
                                   R"("authorization_header": false)"),
            std::string::npos)
      << issuer.requests();
  EXPECT_EQ(issuer.requests().find(R"("method": "GET")"), std::string::npos);
}

TEST_F(HostileNetworkTest, CredsWithoutAColonAreRefusedNotSentAsAUserName) {
  RegistryFixture registry;
  write_test_archive(work_.path() / "app.rock", "0.2", {10});
  FaultProxy front(registry.host());
  const auto result = gantry({"copy", "--dest-tls-verify=false", "--dest-creds", kSecret,
                              "oci-archive:app.rock", "docker://" + front.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("--creds has no ':'"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(kSecret), std::string::npos);
  EXPECT_EQ(front.requests().size(), 0U);
}

TEST_F(HostileNetworkTest, ARetriedBlobPullStartsAfreshAndTheImageIsIntact) {
  RegistryFixture registry;
  const auto image = write_test_archive(work_.path() / "app.rock", "0.2", {300000, 200000});
  ASSERT_EQ(gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                    "docker://" + registry.host() + "/app:0.2"})
                .exit_code,
            0);
  // The first blob download is cut 100 kB in, the second answers 500 with a body.
  FaultProxy front(registry.host(),
                   json::array({{{"match", "GET /v2/app/blobs/"},
                                 {"nth", 1},
                                 {"action", "close_after"},
                                 {"bytes", 100000}},
                                {{"match", "GET /v2/app/blobs/"},
                                 {"nth", 2},
                                 {"action", "status"},
                                 {"status", 500},
                                 {"body", "{\"errors\":[{\"code\":\"UNKNOWN\"}]}"}}}));
  const fs::path out = work_.path() / "out";
  const auto result =
      gantry({"copy", "--src-tls-verify=false", "docker://" + front.host() + "/app:0.2",
              "oci:" + out.string() + ":0.2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // Three blobs, and at least the 500 retried (the cut may fall on a blob that is smaller).
  EXPECT_GE(front.count("GET", "/v2/app/blobs/"), 4);
  for (const auto& layer : image.layers) {
    EXPECT_EQ(fs::file_size(out / "blobs/sha256" / layer.digest.hex()),
              static_cast<std::uintmax_t>(layer.size));
  }
  const auto unpacked =
      run_command({.argv = {"umoci", "unpack", "--rootless", "--image", out.string() + ":0.2",
                            (work_.path() / "bundle").string()}});
  EXPECT_EQ(unpacked.exit_code, 0) << unpacked.err;
}

TEST_F(HostileNetworkTest, ARefusedPushDeletesItsUploadSessions) {
  RegistryFixture registry;
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  FaultProxy front(registry.host(),
                   json::array({{{"match", "PUT /v2/app/blobs/uploads/"},
                                 {"every", true},
                                 {"action", "status"},
                                 {"status", 400},
                                 {"body", R"({"errors":[{"code":"DIGEST_INVALID"}]})"}}}));
  const auto result = gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                              "docker://" + front.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_GT(front.count("PUT", "/v2/app/blobs/uploads/"), 0);
  EXPECT_EQ(front.count("DELETE", "/v2/app/blobs/uploads/"),
            front.count("POST", "/v2/app/blobs/uploads/"))
      << "every session opened is closed";
}

TEST_F(HostileNetworkTest, ADigestThatIsNotSha256IsRefusedBeforeAnythingIsWritten) {
  const auto image = write_test_layout(work_.path() / "src", "0.2", {100});
  const fs::path index = work_.path() / "src" / "index.json";
  std::string text = read_file(index);
  const auto at = text.find(image.manifest_digest.str());
  ASSERT_NE(at, std::string::npos);
  text.replace(at, image.manifest_digest.str().size(), "sha512:../../../../outside");
  write_file(index, text);
  const auto result = gantry({"copy", "oci:" + (work_.path() / "src").string() + ":0.2",
                              "oci:" + (work_.path() / "dst").string() + ":0.2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("digest algorithm 'sha512' is not supported"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(work_.path() / "dst"));
  EXPECT_FALSE(fs::exists(work_.path() / "outside"));
}

TEST_F(HostileNetworkTest, ACtrlCStopsAPushToAStalledRegistryWithinASecondOrTwo) {
  RegistryFixture registry;
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  for (const int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(signal);
    registry.pause();
    auto push = start_gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                              "docker://" + registry.host() + "/app:0.2"});
    ASSERT_TRUE(push->wait_for_stderr("[oci-push] started", std::chrono::seconds(60)));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // into the stalled upload
    const auto sent = Clock::now();
    push->signal(signal);
    const auto result = push->wait(std::chrono::seconds(30));
    EXPECT_LT(Clock::now() - sent, std::chrono::seconds(3));
    EXPECT_EQ(result.exit_code, 130) << result.err;
    registry.resume();
  }
}

TEST_F(HostileNetworkTest, ASecondCtrlCExitsAtOnce) {
  // A step whose child ignores the polite stop: the first Ctrl-C waits for it, the
  // second does not.
  // The child says when it ignores the signals; signalled before that, it would obey.
  const auto trapped = work_.path() / "trapped";
  auto run = start_gantry({"exec", "--command", "sh", "--args",
                           "-c,trap '' TERM INT; : > '" + trapped.string() + "'; sleep 20"});
  for (int i = 0; i < 600 && !fs::exists(trapped); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(fs::exists(trapped)) << "the step's command did not start";
  const auto sent = Clock::now();
  run->signal(SIGINT);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  run->signal(SIGINT);
  const auto result = run->wait(std::chrono::seconds(30));
  EXPECT_LT(Clock::now() - sent, std::chrono::seconds(2));
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(result.err.find("interrupted again"), std::string::npos) << result.err;
}

TEST_F(HostileNetworkTest, ACtrlCStopsStagingFromAStalledMirror) {
  AptRepository repo;
  repo.add({.name = "app", .files = {{"usr/bin/app", "x"}}});
  repo.publish();
  const std::string uri = repo.serve();
  FaultProxy mirror(
      uri.substr(std::string("http://").size()),
      json::array({{{"match", "GET /"}, {"every", true}, {"action", "stall"}, {"seconds", 120}}}));
  write_file(work_.path() / "sources.list", repo.sources_line("http://" + mirror.host()));
  auto stage = start_gantry({"deb-stage", "--sources", "sources.list", "--packages", "app",
                             "--into", (work_.path() / "into").string(), "--cache-dir",
                             (work_.path() / "cache").string()});
  // Signalled once the mirror holds a request, so that it stops a stalled transfer.
  for (int i = 0; i < 600 && mirror.requests().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_FALSE(mirror.requests().empty()) << "deb-stage never reached the mirror";
  const auto sent = Clock::now();
  stage->signal(SIGINT);
  const auto result = stage->wait(std::chrono::seconds(30));
  EXPECT_LT(Clock::now() - sent, std::chrono::seconds(3));
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_FALSE(fs::exists(work_.path() / "into"));
}

TEST_F(HostileNetworkTest, ACtrlCStopsAHangingSignatureCheck) {
  AptRepository repo;
  repo.add({.name = "app", .files = {{"usr/bin/app", "x"}}});
  repo.publish();
  // A gpgv that never answers: Ctrl-C must stop it, not wait for it.
  const fs::path bin = work_.path() / "bin";
  const fs::path marker = work_.path() / "gpgv-ran";
  write_file(bin / "gpgv", "#!/bin/sh\ntouch '" + marker.string() + "'\nexec sleep 60\n");
  fs::permissions(bin / "gpgv", fs::perms(0755));
  write_file(work_.path() / "sources.list", repo.sources_line(repo.file_uri()));
  auto stage = start_gantry(
      {"deb-stage", "--sources", "sources.list", "--packages", "app", "--into",
       (work_.path() / "into").string(), "--cache-dir", (work_.path() / "cache").string()},
      {{"PATH", bin.string() + ":/usr/bin:/bin"}});
  for (int i = 0; i < 100 && !fs::exists(marker); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(fs::exists(marker)) << "the stand-in gpgv was not run";
  const auto sent = Clock::now();
  stage->signal(SIGINT);
  const auto result = stage->wait(std::chrono::seconds(30));
  EXPECT_LT(Clock::now() - sent, std::chrono::seconds(8));
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_FALSE(fs::exists(work_.path() / "into"));
}

}  // namespace
}  // namespace gantry::testing
