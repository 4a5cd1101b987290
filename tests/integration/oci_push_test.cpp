// The installed gantry pushing and pulling images against a real docker-registry,
// read back with skopeo and umoci.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include "command.hpp"
#include "dropping_proxy.hpp"
#include "gantry/net/encoding.hpp"
#include "gantry/oci/tar_index.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "registry_fixture.hpp"
#include "test_image.hpp"
#include "token_issuer_fixture.hpp"

namespace gantry::testing {
namespace {

const std::string kGantry = (std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

class OciPushTest : public ::testing::Test {
 protected:
  CommandResult gantry(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), kGantry);
    args.push_back("--output=plain");
    env.emplace("HOME", (work_.path() / "home").string());
    env.emplace("XDG_RUNTIME_DIR", (work_.path() / "run").string());
    return run_command({.argv = args,
                        .env = env,
                        .unset_env = {"GANTRY_PLUGIN_PATH", "REGISTRY_AUTH_FILE", "DOCKER_CONFIG"},
                        .cwd = work_.path()});
  }

  /// `skopeo inspect` of a registry image: its manifest digest, or "" when it fails.
  std::string registry_digest(const std::string& reference, const std::string& creds = "") {
    std::vector<std::string> argv{"skopeo", "inspect", "--tls-verify=false", "--format",
                                  "{{.Digest}}"};
    if (!creds.empty()) {
      argv.push_back("--creds=" + creds);
    }
    argv.push_back("docker://" + reference);
    const auto result = run_command({.argv = argv});
    return result.exit_code == 0 ? result.out.substr(0, result.out.find('\n')) : "";
  }

  /// Pulls with skopeo into an OCI layout and unpacks it with umoci, which checks every
  /// blob digest and diff_id. Returns the unpacked root filesystem.
  std::filesystem::path pull_and_unpack(const std::string& reference,
                                        const std::string& creds = "") {
    const auto layout = work_.path() / "pulled";
    std::vector<std::string> argv{"skopeo", "copy", "-q", "--src-tls-verify=false"};
    if (!creds.empty()) {
      argv.push_back("--src-creds=" + creds);
    }
    argv.push_back("docker://" + reference);
    argv.push_back("oci:" + layout.string() + ":pulled");
    const auto pulled = run_command({.argv = argv});
    EXPECT_EQ(pulled.exit_code, 0) << pulled.err;
    const auto bundle = work_.path() / "bundle";
    const auto unpacked = run_command({.argv = {"umoci", "unpack", "--rootless", "--image",
                                                layout.string() + ":pulled", bundle.string()}});
    EXPECT_EQ(unpacked.exit_code, 0) << unpacked.err;
    return bundle / "rootfs";
  }

  sdk::TemporaryDirectory work_{"gantry-oci-test-"};
};

TEST_F(OciPushTest, APushedRockReadsBackWithSkopeoAndUmoci) {
  RegistryFixture registry;
  const auto image =
      write_test_archive(work_.path() / "app_0.2_amd64.rock", "0.2", {1 << 20, 300000, 5});
  const auto result =
      gantry({"--insecure-policy", "copy", "--dest-tls-verify=false",
              "oci-archive:app_0.2_amd64.rock", "docker://" + registry.host() + "/app:0.2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "digest=" + image.manifest_digest.str() + "\npinned=" + registry.host() +
                            "/app@" + image.manifest_digest.str() +
                            "\nreference=" + registry.host() + "/app:0.2\n");
  EXPECT_EQ(registry_digest(registry.host() + "/app:0.2"), image.manifest_digest.str());
  const auto rootfs = pull_and_unpack(registry.host() + "/app:0.2");
  EXPECT_EQ(std::filesystem::file_size(rootfs / "app" / "layer-0.bin"), 1U << 20);
  EXPECT_EQ(std::filesystem::file_size(rootfs / "app" / "layer-2.bin"), 5U);
}

TEST_F(OciPushTest, ASecondPushOfTheSameImageIsUpToDateAndANewTagSendsNoBlob) {
  RegistryFixture registry;
  const auto image = write_test_archive(work_.path() / "app.rock", "0.2", {1000, 2000});
  const auto push = [&](const std::string& tag) {
    return gantry({"oci-push", "--source", "oci-archive:app.rock", "--destination",
                   "docker://" + registry.host() + "/app:" + tag, "--tls-verify=false"});
  };
  ASSERT_EQ(push("0.2").exit_code, 0);
  const auto again = push("0.2");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("docker://" + registry.host() + "/app:0.2 already holds " +
                           image.manifest_digest.str() + ": nothing to push"),
            std::string::npos)
      << again.err;
  EXPECT_NE(again.err.find("(up to date)"), std::string::npos) << again.err;
  EXPECT_NE(again.out.find("pinned=" + registry.host() + "/app@" + image.manifest_digest.str()),
            std::string::npos)
      << again.out;

  const auto retagged = push("0.3");
  EXPECT_EQ(retagged.exit_code, 0) << retagged.err;
  EXPECT_NE(retagged.err.find("(0 blobs sent, 3 already there)"), std::string::npos)
      << retagged.err;
  EXPECT_EQ(retagged.err.find("(up to date)"), std::string::npos) << retagged.err;
}

TEST_F(OciPushTest, ACorruptArchiveIsRefusedAndTheTagNeverAppears) {
  RegistryFixture registry;
  const auto image = write_test_archive(work_.path() / "app.rock", "0.2", {200000});
  const auto member =
      oci::TarIndex::scan(image.location).find("blobs/sha256/" + image.layers[0].digest.hex());
  ASSERT_TRUE(member);
  {
    std::fstream file(image.location, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(member->offset + 150000));
    file.put('!');
  }
  const auto result = gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                              "docker://" + registry.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("blob " + image.layers[0].digest.str() + " has digest sha256:"),
            std::string::npos)
      << result.err;
  EXPECT_EQ(registry_digest(registry.host() + "/app:0.2"), "") << "the tag must not exist";
}

TEST_F(OciPushTest, BasicAuthOverTlsTakesCredentialsAndNeverPrintsThem) {
  RegistryFixture registry({.tls = true, .user = "deployer", .password = "s3cret-Pa55"});
  write_test_archive(work_.path() / "app.rock", "0.2", {4000});
  const std::string destination = "docker://" + registry.host() + "/team/app:0.2";

  const auto anonymous =
      gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock", destination});
  EXPECT_EQ(anonymous.exit_code, 1);
  EXPECT_NE(anonymous.err.find("registry " + registry.host() +
                               " refused access to team/app (401 Unauthorized"),
            std::string::npos)
      << anonymous.err;
  EXPECT_NE(anonymous.err.find("Recommended resolution: Give credentials with --creds"),
            std::string::npos);

  const auto wrong = gantry({"copy", "--dest-tls-verify=false", "--dest-creds",
                             "deployer:wrong-Pa55word", "oci-archive:app.rock", destination});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(wrong.err.find("wrong-Pa55word"), std::string::npos) << wrong.err;

  const auto right = gantry({"copy", "--dest-tls-verify=false", "--dest-creds",
                             "deployer:s3cret-Pa55", "oci-archive:app.rock", destination});
  EXPECT_EQ(right.exit_code, 0) << right.err;
  EXPECT_EQ(right.err.find("s3cret-Pa55"), std::string::npos);
  EXPECT_NE(registry_digest(registry.host() + "/team/app:0.2", "deployer:s3cret-Pa55"), "");
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(work_.path() / ".gantry")) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(read_file(entry.path()).find("s3cret-Pa55"), std::string::npos) << entry.path();
    }
  }
}

TEST_F(OciPushTest, CredentialsComeFromTheDockerConfig) {
  RegistryFixture registry({.tls = true, .user = "ci", .password = "from-config"});
  write_test_archive(work_.path() / "app.rock", "0.2", {4000});
  write_file(work_.path() / "home" / ".docker" / "config.json",
             R"({"auths":{")" + registry.host() + R"(":{"auth":")" + net::base64("ci:from-config") +
                 R"("}}})");
  const auto result = gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                              "docker://" + registry.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(OciPushTest, ACredentialHelperIsAskedForTheRegistry) {
  RegistryFixture registry({.tls = true, .user = "helped", .password = "from-helper"});
  write_test_archive(work_.path() / "app.rock", "0.2", {4000});
  const auto bin = work_.path() / "bin";
  write_file(bin / "docker-credential-gantrytest",
             "#!/bin/sh\nread server\necho \"$server\" > " + (work_.path() / "asked").string() +
                 "\necho '{\"ServerURL\":\"'$server'\",\"Username\":\"helped\",\"Secret\":\"from-"
                 "helper\"}'\n");
  ::chmod((bin / "docker-credential-gantrytest").c_str(), 0755);
  write_file(work_.path() / "home" / ".docker" / "config.json",
             R"({"credHelpers":{")" + registry.host() + R"(":"gantrytest"}})");
  const auto result = gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                              "docker://" + registry.host() + "/app:0.2"},
                             {{"PATH", bin.string() + ":/usr/bin:/bin"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_file(work_.path() / "asked"), registry.host() + "\n");
}

TEST_F(OciPushTest, ASelfSignedCertificateIsRefusedWhileTlsIsVerified) {
  RegistryFixture registry({.tls = true});
  write_test_archive(work_.path() / "app.rock", "0.2", {10});
  const auto result =
      gantry({"copy", "oci-archive:app.rock", "docker://" + registry.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot reach registry " + registry.host() + " over https"),
            std::string::npos)
      << result.err;
}

TEST_F(OciPushTest, PullsFromTheRegistryIntoALayoutAndAnArchive) {
  RegistryFixture registry;
  const auto image = write_test_archive(work_.path() / "app.rock", "0.2", {70000, 10});
  ASSERT_EQ(gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                    "docker://" + registry.host() + "/app:0.2"})
                .exit_code,
            0);
  const auto pulled = gantry({"copy", "--src-tls-verify=false",
                              "docker://" + registry.host() + "/app:0.2", "oci:layout:0.2"});
  ASSERT_EQ(pulled.exit_code, 0) << pulled.err;
  const auto unpacked = run_command(
      {.argv = {"umoci", "unpack", "--rootless", "--image",
                (work_.path() / "layout").string() + ":0.2", (work_.path() / "bundle").string()}});
  EXPECT_EQ(unpacked.exit_code, 0) << unpacked.err;
  const auto archived =
      gantry({"copy", "--src-tls-verify=false", "docker://" + registry.host() + "/app:0.2",
              "oci-archive:back.rock:0.2"});
  ASSERT_EQ(archived.exit_code, 0) << archived.err;
  const auto inspected =
      run_command({.argv = {"skopeo", "inspect", "--format", "{{.Digest}}",
                            "oci-archive:" + (work_.path() / "back.rock").string()}});
  EXPECT_EQ(inspected.out, image.manifest_digest.str() + "\n") << inspected.err;
}

TEST_F(OciPushTest, BadInputNamesTheInput) {
  RegistryFixture registry;
  const auto missing = gantry({"copy", "--dest-tls-verify=false", "oci-archive:nope.rock",
                               "docker://" + registry.host() + "/app:0.2"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(
      missing.err.find("archive " + (work_.path() / "nope.rock").string() + " does not exist"),
      std::string::npos)
      << missing.err;
  write_test_archive(work_.path() / "app.rock", "0.2", {10});
  const auto bad_ref = gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                               "docker://" + registry.host() + "/App:0.2"});
  EXPECT_NE(bad_ref.err.find("invalid image reference"), std::string::npos) << bad_ref.err;
  const auto bad_tag = gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock:9.9",
                               "docker://" + registry.host() + "/app:0.2"});
  EXPECT_NE(bad_tag.err.find("has no image tagged '9.9'"), std::string::npos) << bad_tag.err;
  const auto unreachable = gantry(
      {"copy", "--dest-tls-verify=false", "oci-archive:app.rock", "docker://127.0.0.1:1/app:0.2"});
  EXPECT_NE(unreachable.err.find("cannot reach registry 127.0.0.1:1"), std::string::npos)
      << unreachable.err;
}

TEST_F(OciPushTest, ARegistryKilledMidUploadNeverYieldsAPartialImage) {
  RegistryFixture registry;
  const auto image =
      write_test_archive(work_.path() / "big.rock", "0.2", {40 << 20, 40 << 20, 40 << 20});
  BackgroundCommand push(
      {.argv = {kGantry, "copy", "--dest-tls-verify=false", "--output=plain",
                "oci-archive:big.rock", "docker://" + registry.host() + "/big:0.2"},
       .cwd = work_.path()});
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  registry.stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  registry.start();
  const auto result = push.wait(std::chrono::seconds(120));
  if (result.exit_code == 0) {
    EXPECT_EQ(registry_digest(registry.host() + "/big:0.2"), image.manifest_digest.str());
    (void)pull_and_unpack(registry.host() + "/big:0.2");
  } else {
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find("error: step 'oci-push' (oci-push) failed:"), std::string::npos)
        << result.err;
    EXPECT_EQ(registry_digest(registry.host() + "/big:0.2"), "");
  }
}

}  // namespace
}  // namespace gantry::testing

namespace gantry::testing {
namespace {

TEST_F(OciPushTest, BearerTokensAreRequestedForTheRepositoryScope) {
  TokenIssuerFixture issuer("robot", "t0ken-pass", 2);
  RegistryFixture registry({.token_realm = issuer.realm(), .token_cert = issuer.certificate()});
  write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  const std::vector<std::string> push{"copy",
                                      "--dest-tls-verify=false",
                                      "--dest-creds",
                                      "robot:t0ken-pass",
                                      "oci-archive:app.rock",
                                      "docker://" + registry.host() + "/team/app:0.2"};
  const auto first = gantry(push);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(issuer.requests().find(
                R"({"scopes": ["repository:team/app:pull,push"], "authorized": true,)"),
            std::string::npos)
      << issuer.requests();

  const auto anonymous = gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                                 "docker://" + registry.host() + "/team/app:0.3"});
  EXPECT_EQ(anonymous.exit_code, 1);
  EXPECT_NE(anonymous.err.find("the token server of " + registry.host() +
                               " refused anonymous access for team/app"),
            std::string::npos)
      << anonymous.err;
}

TEST_F(OciPushTest, ATokenTheRegistryRefusesIsRenewedOnce) {
  TokenIssuerFixture issuer("robot", "t0ken-pass", 300, /*reject_first=*/true);
  RegistryFixture registry({.token_realm = issuer.realm(), .token_cert = issuer.certificate()});
  const auto image = write_test_archive(work_.path() / "app.rock", "0.2", {3000});
  const auto result = gantry({"copy", "--dest-tls-verify=false", "--dest-creds", "robot:t0ken-pass",
                              "oci-archive:app.rock", "docker://" + registry.host() + "/app:0.2"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::size_t requests = 0;
  for (const char c : issuer.requests()) {
    requests += c == '\n' ? 1 : 0;
  }
  EXPECT_EQ(requests, 2U) << "one refused token, one renewed: " << issuer.requests();
  EXPECT_EQ(registry_digest(registry.host() + "/app:0.2", "robot:t0ken-pass"),
            image.manifest_digest.str());
}

}  // namespace
}  // namespace gantry::testing

namespace gantry::testing {
namespace {

TEST_F(OciPushTest, AChunkedUploadCutMidwayCompletesWithAnIntactImage) {
  RegistryFixture registry;
  const int registry_port = std::stoi(registry.host().substr(registry.host().rfind(':') + 1));
  const auto image = write_test_archive(work_.path() / "big.rock", "0.2", {150ULL << 20});
  // Cut the link once, 100 MiB into the upload: inside the second 64 MiB chunk.
  DroppingProxy proxy(registry_port, 100ULL << 20);
  const std::string via_proxy = "127.0.0.1:" + std::to_string(proxy.port());
  const auto result = gantry({"copy", "--dest-tls-verify=false", "oci-archive:big.rock",
                              "docker://" + via_proxy + "/big:0.2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(proxy.drops(), 1);
  // distribution 2.8 drops a session that received part of a chunk, so the blob is sent
  // again in a new session: once, not more.
  EXPECT_LT(proxy.upstream_bytes(), 2 * (150ULL << 20) + (20ULL << 20)) << result.err;
  EXPECT_EQ(registry_digest(registry.host() + "/big:0.2"), image.manifest_digest.str());
  (void)pull_and_unpack(registry.host() + "/big:0.2");
}

TEST_F(OciPushTest, CopyingWithinARegistryMountsBlobsInsteadOfSendingThem) {
  RegistryFixture registry;
  write_test_archive(work_.path() / "app.rock", "0.2", {50000, 60000});
  ASSERT_EQ(gantry({"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                    "docker://" + registry.host() + "/team/app:0.2"})
                .exit_code,
            0);
  const auto copied = gantry({"copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                              "docker://" + registry.host() + "/team/app:0.2",
                              "docker://" + registry.host() + "/prod/app:0.2"});
  ASSERT_EQ(copied.exit_code, 0) << copied.err;
  EXPECT_NE(copied.err.find("(0 blobs sent, 3 already there)"), std::string::npos) << copied.err;
  EXPECT_NE(registry_digest(registry.host() + "/prod/app:0.2"), "");
}

TEST_F(OciPushTest, CredentialsComeFromRegistryAuthFileAndTheRuntimeAuthJson) {
  RegistryFixture registry({.tls = true, .user = "ci", .password = "auth-file"});
  write_test_archive(work_.path() / "app.rock", "0.2", {100});
  const std::string auth = R"({"auths":{")" + registry.host() + R"(":{"auth":")" +
                           net::base64("ci:auth-file") + R"("}}})";
  write_file(work_.path() / "custom-auth.json", auth);
  const std::vector<std::string> push{"copy", "--dest-tls-verify=false", "oci-archive:app.rock",
                                      "docker://" + registry.host() + "/app:0.2"};
  EXPECT_EQ(gantry(push, {{"REGISTRY_AUTH_FILE", (work_.path() / "custom-auth.json").string()}})
                .exit_code,
            0);
  write_file(work_.path() / "run" / "containers" / "auth.json", auth);
  EXPECT_EQ(gantry(push).exit_code, 0);
}

TEST_F(OciPushTest, AChunkedUploadResumesFromWhatTheRegistryHolds) {
  RegistryFixture registry;
  const int registry_port = std::stoi(registry.host().substr(registry.host().rfind(':') + 1));
  const auto image = write_test_archive(work_.path() / "big.rock", "0.2", {150ULL << 20});
  // The link drops as the second 64 MiB chunk starts.
  DroppingProxy proxy(registry_port, "PATCH ", 2);
  const auto result = gantry({"copy", "--dest-tls-verify=false", "oci-archive:big.rock",
                              "docker://127.0.0.1:" + std::to_string(proxy.port()) + "/big:0.2"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(proxy.drops(), 1);
  EXPECT_LT(proxy.upstream_bytes(), (150ULL << 20) + (1ULL << 20))
      << "every byte went up once: the upload resumed at 64 MiB";
  EXPECT_EQ(registry_digest(registry.host() + "/big:0.2"), image.manifest_digest.str());
}

}  // namespace
}  // namespace gantry::testing
