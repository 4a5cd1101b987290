#include "gantry/oci/credentials.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

#include "command.hpp"
#include "gantry/net/encoding.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::oci {
namespace {

using testing::write_file;

/// Points the credential search at a scratch home for one test.
class CredentialsTest : public ::testing::Test {
 protected:
  CredentialsTest() {
    for (const char* name : {"HOME", "XDG_RUNTIME_DIR", "XDG_CONFIG_HOME", "REGISTRY_AUTH_FILE",
                             "DOCKER_CONFIG", "PATH"}) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name,
                          value == nullptr ? std::nullopt : std::optional<std::string>(value));
      ::unsetenv(name);
    }
    ::setenv("HOME", (dir_.path() / "home").c_str(), 1);
    ::setenv("XDG_RUNTIME_DIR", (dir_.path() / "run").c_str(), 1);
    ::setenv("PATH", ((dir_.path() / "bin").string() + ":/usr/bin:/bin").c_str(), 1);
  }
  ~CredentialsTest() override {
    for (const auto& [name, value] : saved_) {
      value ? ::setenv(name.c_str(), value->c_str(), 1) : ::unsetenv(name.c_str());
    }
  }

  static std::string auths(const std::string& key, const std::string& user_pass) {
    return R"({"auths":{")" + key + R"(":{"auth":")" + net::base64(user_pass) + R"("}}})";
  }

  sdk::TemporaryDirectory dir_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST_F(CredentialsTest, SearchesAuthFilesInSkopeosOrder) {
  write_file(dir_.path() / "home" / ".docker" / "config.json", auths("reg.example", "docker:d"));
  EXPECT_EQ(find_credentials("reg.example")->username, "docker");
  write_file(dir_.path() / "home" / ".config" / "containers" / "auth.json",
             auths("https://reg.example/v1/", "config:c"));
  EXPECT_EQ(find_credentials("reg.example")->username, "config");
  write_file(dir_.path() / "run" / "containers" / "auth.json", auths("reg.example", "runtime:r"));
  EXPECT_EQ(find_credentials("reg.example")->username, "runtime");
  write_file(dir_.path() / "custom.json", auths("reg.example", "custom:x:y"));
  ::setenv("REGISTRY_AUTH_FILE", (dir_.path() / "custom.json").c_str(), 1);
  const auto credentials = find_credentials("reg.example");
  EXPECT_EQ(credentials->username, "custom");
  EXPECT_EQ(credentials->secret, "x:y");
  EXPECT_FALSE(find_credentials("other.example"));
}

TEST_F(CredentialsTest, AnAuthfileIsReadAloneAndMustExist) {
  write_file(dir_.path() / "home" / ".docker" / "config.json", auths("reg.example", "docker:d"));
  write_file(dir_.path() / "mine.json", auths("other.example", "mine:m"));
  EXPECT_FALSE(find_credentials("reg.example", dir_.path() / "mine.json"));
  EXPECT_EQ(find_credentials("other.example", dir_.path() / "mine.json")->username, "mine");
  EXPECT_THROW((void)find_credentials("reg.example", dir_.path() / "missing.json"), OciError);
}

TEST_F(CredentialsTest, AsksTheCredsStoreHelper) {
  write_file(
      dir_.path() / "bin" / "docker-credential-store",
      "#!/bin/sh\nread server\n[ \"$server\" = reg.example ] || exit 1\n"
      "echo '{\"ServerURL\":\"reg.example\",\"Username\":\"<token>\",\"Secret\":\"tok\"}'\n");
  ::chmod((dir_.path() / "bin" / "docker-credential-store").c_str(), 0755);
  write_file(dir_.path() / "home" / ".docker" / "config.json", R"({"credsStore":"store"})");
  const auto credentials = find_credentials("reg.example");
  ASSERT_TRUE(credentials);
  EXPECT_TRUE(credentials->identity_token);
  EXPECT_EQ(credentials->secret, "tok");
  EXPECT_FALSE(find_credentials("unknown.example")) << "the helper's 'not found' is no error";
}

TEST_F(CredentialsTest, AMissingHelperOrBadFileIsAnErrorNamingIt) {
  write_file(dir_.path() / "home" / ".docker" / "config.json",
             R"({"credHelpers":{"reg.example":"absent"}})");
  try {
    (void)find_credentials("reg.example");
    FAIL() << "expected an error";
  } catch (const OciError& error) {
    EXPECT_STREQ(error.what(),
                 "credential helper docker-credential-absent (named in a docker config) is not on "
                 "PATH");
  }
  write_file(dir_.path() / "home" / ".docker" / "config.json", "{not json");
  EXPECT_THROW((void)find_credentials("reg.example"), OciError);
}

TEST(CredsOptionTest, SplitsUserAndPasswordAtTheFirstColon) {
  const auto credentials = parse_creds_option("robot:pa:ss");
  EXPECT_EQ(credentials.username, "robot");
  EXPECT_EQ(credentials.secret, "pa:ss");
  EXPECT_THROW((void)parse_creds_option(":x"), OciError);
}

TEST(CredsOptionTest, RefusesAValueWithoutAColonRatherThanSendItAsAUserName) {
  try {
    (void)parse_creds_option("hunter2");
    FAIL() << "no error";
  } catch (const OciError& error) {
    EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("no ':'"), std::string::npos);
  }
}

}  // namespace
}  // namespace gantry::oci
