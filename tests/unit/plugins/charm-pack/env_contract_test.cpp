// paas-charm's configuration contract (charm_state.py, app.py gen_environment) as
// --show-env reports it.
#include "env_contract.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "command.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;
using testing::write_file;

const std::string kFlask = R"(name: app
type: charm
summary: s
description: d
base: ubuntu@22.04
platforms:
  amd64:
extensions: [flask-framework]
)";

class EnvContractTest : public ::testing::Test {
 protected:
  CharmProject load(const std::string& options) {
    write_file(charm_ / "charmcraft.yaml", kFlask + "config:\n  options:\n" + options);
    return load_charm_project(charm_, {});
  }

  const OptionMapping& mapping(const EnvContract& contract, const std::string& name) {
    for (const auto& option : contract.options) {
      if (option.option == name) {
        return option;
      }
    }
    ADD_FAILURE() << "no option " << name;
    return contract.options.front();
  }

  sdk::TemporaryDirectory dir_{"gantry-env-contract-test-"};
  fs::path charm_ = dir_.path() / "charm";
};

TEST_F(EnvContractTest, UserOptionsBecomePrefixedUpperSnakeVariables) {
  const auto contract = env_contract(
      load("    token:\n      type: string\n    api-base-url:\n      type: string\n      "
           "default: https://example.com\n    retries:\n      type: int\n    creds:\n      "
           "type: secret\n"));
  EXPECT_EQ(mapping(contract, "token").variable, "FLASK_TOKEN");
  EXPECT_EQ(mapping(contract, "api-base-url").variable, "FLASK_API_BASE_URL");
  EXPECT_EQ(mapping(contract, "retries").note, "int, JSON-encoded");
  EXPECT_EQ(mapping(contract, "creds").variable, "FLASK_CREDS_<KEY>");
  EXPECT_EQ(mapping(contract, "webserver-workers").variable, "");
  EXPECT_NE(mapping(contract, "webserver-workers").note.find("gunicorn"), std::string::npos);
  EXPECT_EQ(mapping(contract, "flask-secret-key-id").variable, "FLASK_SECRET_KEY");
  EXPECT_EQ(mapping(contract, "flask-preferred-url-scheme").variable, "FLASK_PREFERRED_URL_SCHEME");
  EXPECT_TRUE(contract.warnings.empty());
  const std::string text = format_contract(contract);
  EXPECT_NE(text.find("token                            -> FLASK_TOKEN (string)\n"),
            std::string::npos)
      << text;
}

TEST_F(EnvContractTest, WarnsForOptionsPaasCharmDropsSilently) {
  const auto contract = env_contract(
      load("    app-name:\n      type: string\n    secret-key:\n      type: string\n"));
  EXPECT_TRUE(mapping(contract, "app-name").dropped);
  EXPECT_TRUE(mapping(contract, "secret-key").dropped);
  ASSERT_EQ(contract.warnings.size(), 2U);
  EXPECT_NE(contract.warnings[0].find("'app-name' starts with 'app-'"), std::string::npos);
  EXPECT_NE(contract.warnings[1].find("framework setting 'secret_key'"), std::string::npos);
}

TEST_F(EnvContractTest, TwoOptionsForOneVariableAreAnErrorNamingBoth) {
  const auto project = load("    api-url:\n      type: string\n    api_url:\n      type: string\n");
  try {
    (void)env_contract(project);
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "config options 'api-url' and 'api_url' both become the environment variable "
              "FLASK_API_URL");
    EXPECT_EQ(error.position().line, 13U);  // the second option's key
    EXPECT_EQ(error.position().column, 5U);
  }
}

TEST_F(EnvContractTest, WarnsForMigrationScriptsThatWouldNotRun) {
  const auto project = load("    token:\n      type: string\n");
  write_file(dir_.path() / "rockcraft.yaml",
             "name: app\nextensions: [flask-framework]\nparts:\n  flask-framework/install-app:\n"
             "    prime:\n      - flask/app/app.py\n      - flask/app/migrate\n");
  write_file(dir_.path() / "migrate", "#!/bin/sh\n");
  ::chmod((dir_.path() / "migrate").c_str(), 0644);
  write_file(dir_.path() / "migrate.sh", "echo migrate\n");
  const auto warnings = migration_warnings(project);
  ASSERT_EQ(warnings.size(), 2U);
  EXPECT_NE(warnings[0].find("migrate is not executable"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[1].find("migrate.sh exists but the prime list"), std::string::npos)
      << warnings[1];
  EXPECT_NE(warnings[1].find("/flask/app/migrate.sh"), std::string::npos);

  ::chmod((dir_.path() / "migrate").c_str(), 0755);
  fs::remove(dir_.path() / "migrate.sh");
  EXPECT_TRUE(migration_warnings(project).empty());
}

}  // namespace
}  // namespace gantry::charm_pack
