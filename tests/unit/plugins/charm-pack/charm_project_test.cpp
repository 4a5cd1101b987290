// charmcraft.yaml's model: the 12-factor extensions' merge and refusals with charmcraft's
// messages (charmcraft/extensions/app.py), validation errors at file:line:column, the
// split layout and charmcraft's file names.
#include "charm_project.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;
using testing::write_file;

const std::string kFlask = R"(name: flask-hello-world
type: charm
summary: A very short one-line summary of the Flask application.
description: |
  A comprehensive overview of your Flask application.
base: ubuntu@22.04
platforms:
  amd64:
extensions:
  - flask-framework
)";

class CharmProjectTest : public ::testing::Test {
 protected:
  CharmProject load(const std::string& yaml) {
    write_file(dir_.path() / "charmcraft.yaml", yaml);
    return load_charm_project(dir_.path(),
                              [this](const std::string& m) { warnings_.push_back(m); });
  }

  /// The ConfigError loading `yaml` gives: "line:column: message".
  std::string error_of(const std::string& yaml) {
    try {
      (void)load(yaml);
    } catch (const ConfigError& error) {
      const auto& at = error.position();
      return std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + error.what();
    } catch (const Error& error) {
      return std::string("Error: ") + error.what();
    }
    ADD_FAILURE() << "no error for\n" << yaml;
    return {};
  }

  sdk::TemporaryDirectory dir_{"gantry-charm-project-test-"};
  std::vector<std::string> warnings_;
};

TEST_F(CharmProjectTest, FlaskFrameworkAddsWhatCharmcraftAdds) {
  const auto project = load(kFlask + "config:\n  options:\n    token:\n      type: string\n");
  const YAML::Node& doc = project.document;
  EXPECT_FALSE(doc["extensions"]);
  EXPECT_EQ(doc["assumes"][0].as<std::string>(), "k8s-api");
  EXPECT_EQ(doc["containers"]["flask-app"]["resource"].as<std::string>(), "flask-app-image");
  EXPECT_EQ(doc["resources"]["flask-app-image"]["type"].as<std::string>(), "oci-image");
  EXPECT_EQ(doc["resources"]["flask-app-image"]["description"].as<std::string>(),
            "flask application image.");
  EXPECT_EQ(doc["peers"]["secret-storage"]["interface"].as<std::string>(), "secret-storage");
  EXPECT_EQ(doc["requires"]["logging"]["interface"].as<std::string>(), "loki_push_api");
  EXPECT_EQ(doc["requires"]["ingress"]["limit"].as<int>(), 1);
  EXPECT_EQ(doc["provides"]["metrics-endpoint"]["interface"].as<std::string>(),
            "prometheus_scrape");
  EXPECT_EQ(doc["provides"]["grafana-dashboard"]["interface"].as<std::string>(),
            "grafana_dashboard");
  EXPECT_TRUE(doc["actions"]["rotate-secret-key"]);
  EXPECT_EQ(doc["parts"]["charm"]["plugin"].as<std::string>(), "charm");
  EXPECT_EQ(doc["charm-libs"].size(), 14U);
  std::vector<std::string> options;
  for (const auto& option : project.options) {
    options.push_back(option.name + ":" + option.type);
  }
  EXPECT_EQ(options,
            (std::vector<std::string>{
                "token:string", "webserver-keepalive:int", "webserver-threads:int",
                "webserver-timeout:int", "webserver-workers:int", "webserver-worker-class:string",
                "flask-application-root:string", "flask-debug:boolean", "flask-env:string",
                "flask-permanent-session-lifetime:int", "flask-preferred-url-scheme:string",
                "flask-secret-key:string", "flask-secret-key-id:secret",
                "flask-session-cookie-secure:boolean"}));
  EXPECT_EQ(doc["config"]["options"]["flask-preferred-url-scheme"]["default"].as<std::string>(),
            "HTTPS");
  EXPECT_EQ(project.oci_resources, std::vector<std::string>{"flask-app-image"});
  ASSERT_EQ(project.targets.size(), 1U);
  EXPECT_EQ(project.targets[0].file_name(project.name), "flask-hello-world_amd64.charm");
}

TEST_F(CharmProjectTest, UserKeysKeepTheirPlaceAndExtensionKeysFollowInCharmcraftsOrder) {
  const auto project = load(kFlask + "requires:\n  db:\n    interface: postgresql_client\n");
  std::vector<std::string> keys;
  for (const auto& item : project.document) {
    keys.push_back(item.first.Scalar());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"name", "type", "summary", "description", "base",
                                            "platforms", "requires", "assumes", "containers",
                                            "resources", "charm-libs", "peers", "actions",
                                            "provides", "config", "parts"}));
  std::vector<std::string> requires_keys;
  for (const auto& item : project.document["requires"]) {
    requires_keys.push_back(item.first.Scalar());
  }
  EXPECT_EQ(requires_keys, (std::vector<std::string>{"db", "logging", "ingress"}));
}

TEST_F(CharmProjectTest, OtherFrameworksUseTheirOwnNames) {
  const auto django = load(
      "name: d\ntype: charm\nsummary: s\ndescription: d\nbase: ubuntu@22.04\nplatforms:\n  "
      "amd64:\nextensions: [django-framework]\n");
  EXPECT_TRUE(django.document["containers"]["django-app"]);
  EXPECT_TRUE(django.document["actions"]["create-superuser"]);
  EXPECT_EQ(django.document["config"]["options"]["django-debug"]["default"].as<bool>(), false);
  for (const char* extension : {"fastapi-framework", "go-framework"}) {
    const auto project = load(std::string("name: a\ntype: charm\nsummary: s\ndescription: d\nbase: "
                                          "ubuntu@24.04\nplatforms:\n  amd64:\nextensions: [") +
                              extension + "]\n");
    EXPECT_TRUE(project.document["containers"]["app"]) << extension;
    EXPECT_EQ(project.document["containers"]["app"]["resource"].as<std::string>(), "app-image");
    EXPECT_EQ(project.document["config"]["options"]["metrics-port"]["default"].as<int>(), 8080);
  }
}

TEST_F(CharmProjectTest, RefusesWhatCharmcraftsFlaskExtensionRefuses) {
  EXPECT_EQ(error_of(kFlask + "parts:\n  charm:\n    plugin: charm\n"),
            "12:3: the 'flask-framework' extension is incompatible with customized charm part");
  EXPECT_EQ(error_of(kFlask + "storage:\n  data:\n    type: filesystem\n"),
            "11:1: the 'flask-framework' extension is incompatible with the provided field(s): "
            "storage");
  EXPECT_EQ(error_of(kFlask + "assumes: [k8s-api, juju >= 3.4]\n"),
            "11:1: 'assumes' in charmcraft.yaml conflicts with a reserved field in the "
            "flask-framework extension, please remove it.");
  EXPECT_EQ(error_of(kFlask + "requires:\n  logging:\n    interface: loki_push_api\n"),
            "12:3: overlapping keys {'logging'} in requires of charmcraft.yaml which conflict "
            "with the flask-framework extension, please rename or remove it");
  EXPECT_EQ(error_of(kFlask + "config:\n  options:\n    flask-token:\n      type: string\n"),
            "13:5: config.options 'flask-token' starts with flask-framework reserved "
            "configuration prefix 'flask-', please rename or remove it");
  EXPECT_EQ(error_of(kFlask + "config:\n  options:\n    webserver-x:\n      type: string\n"),
            "13:5: config.options 'webserver-x' starts with flask-framework reserved "
            "configuration prefix 'webserver-', please rename or remove it");
  EXPECT_EQ(error_of(kFlask + "config:\n  options:\n    token:\n      type: string\n      "
                              "optional: false\n      default: abc\n"),
            "13:5: Non-optional configuration options can not have default values.\nPlease "
            "either remove the default value or set optional field to true or remove it for the "
            "token configuration option(s).");
  std::string on_20_04 = kFlask;
  on_20_04.replace(on_20_04.find("22.04"), 5, "20.04");
  EXPECT_EQ(error_of(on_20_04),
            "6:7: Extension 'flask-framework' does not support base(s): ubuntu@20.04");
  EXPECT_EQ(error_of("name: a\ntype: charm\nsummary: s\ndescription: d\nbase: ubuntu@22.04\n"
                     "platforms:\n  amd64:\nextensions: [go-framework]\n"),
            "5:7: Extension 'go-framework' does not support base(s): ubuntu@22.04");
}

TEST_F(CharmProjectTest, ValidationErrorsReadAsCharmcraftsWithTheirPosition) {
  EXPECT_EQ(error_of(kFlask + "colour: blue\n"),
            "11:1: extra field 'colour' not permitted in top-level configuration");
  // With an extension, charmcraft's extension check sees a wrong type first.
  std::string charms = kFlask;
  charms.replace(charms.find("type: charm"), 11, "type: charms");
  EXPECT_EQ(error_of(charms),
            "2:7: the 'flask-framework' extension is incompatible with type 'charms'");
  EXPECT_EQ(error_of("name: a\ntype: charms\nsummary: s\ndescription: d\n"),
            "2:7: input should be 'charm' or 'bundle' (in field 'type', input: 'charms')");
  EXPECT_EQ(error_of(kFlask + "config:\n  options:\n    count:\n      type: integer\n"),
            "14:13: input tag 'integer' found using 'type' does not match any of the expected "
            "tags: 'string', 'int', 'float', 'boolean', 'secret' (in field "
            "'config.options.count.type', input: 'integer')");
  EXPECT_EQ(error_of(kFlask + "config:\n  options:\n    count:\n      type: int\n      "
                              "default: many\n"),
            "15:16: input should be a valid integer, unable to parse string as an integer (in "
            "field 'config.options.count.int.default', input: 'many')");
  const std::string plain =
      "name: plain\ntype: charm\nsummary: s\ndescription: d\nbase: ubuntu@22.04\nplatforms:\n"
      "  amd64:\n";
  EXPECT_EQ(error_of(plain + "parts:\n  charm:\n    plugin: charm\n    charm-entrypoint: "
                             "src/missing.py\n"),
            "11:23: charm entry point was not found: '" +
                (dir_.path() / "src/missing.py").string() +
                "' (in field 'parts.charm.charm-entrypoint', input: 'src/missing.py')");
  EXPECT_EQ(error_of(plain + "parts:\n  old:\n    plugin: reactive\n"),
            "10:13: part 'old' uses the 'reactive' plugin, which gantry charm-pack does not "
            "build");
  EXPECT_EQ(error_of("type: charm\nsummary: s\ndescription: d\n"),
            "1:1: field 'name' required in top-level configuration");
}

TEST_F(CharmProjectTest, NamesFollowCharmcraftsRulesAndTakeNoTimeToCheck) {
  const auto with_name = [](const std::string& name) {
    return "name: " + name +
           "\ntype: charm\nsummary: s\ndescription: d\nbase: ubuntu@22.04\nplatforms:\n  amd64:\n";
  };
  for (const std::string good : {"a", "flask-app", "9a", "a-1", "app2-b3"}) {
    EXPECT_NO_THROW((void)load(with_name(good))) << good;
  }
  // The charmcraft_yaml fuzzer's finding: the regex took seconds on this one.
  const std::string slow = "flask-" + std::string(33, 'r') + "]ello-world";
  for (const std::string& bad :
       std::vector<std::string>{"-a", "a-", "a--b", "123", "1-2", "Flask", "a_b", slow}) {
    const std::string error = error_of(with_name(bad));
    EXPECT_NE(error.find("Names can only use ASCII lowercase"), std::string::npos) << error;
  }
  const auto with_lib = [&](const std::string& lib, const std::string& version) {
    return with_name("a") + "charm-libs:\n  - lib: " + lib + "\n    version: \"" + version + "\"\n";
  };
  EXPECT_NO_THROW((void)load(with_lib("my-charm.my_lib", "0.12")));
  std::string error = error_of(with_lib("my charm.lib", "1"));
  EXPECT_NE(error.find("nvalid charm name"), std::string::npos) << error;
  error = error_of(with_lib("c.my-lib", "1"));
  EXPECT_NE(error.find("ibrary name 'my-lib' is invalid"), std::string::npos) << error;
  for (const std::string version : {"", "1.", ".1", "1.2.3", "v1"}) {
    error = error_of(with_lib("c.l", version));
    EXPECT_NE(error.find("PI version not valid"), std::string::npos) << error;
  }
}

TEST_F(CharmProjectTest, AMissingCharmcraftYamlSaysWhereToLook) {
  try {
    (void)load_charm_project(dir_.path(), {});
    FAIL();
  } catch (const Error& error) {
    EXPECT_EQ(std::string(error.what()), "charmcraft.yaml not found in " + dir_.path().string());
    EXPECT_NE(error.resolution().find("charm/"), std::string::npos);
  }
}

TEST_F(CharmProjectTest, TheSplitLayoutReadsMetadataConfigAndActionsFiles) {
  write_file(dir_.path() / "metadata.yaml",
             "name: split\nsummary: s\ndescription: d\nrequires:\n  db:\n    interface: pg\n");
  write_file(dir_.path() / "config.yaml", "options:\n  level:\n    type: int\n    default: 3\n");
  write_file(dir_.path() / "actions.yaml", "snapshot:\n  description: Take one.\n");
  const auto project = load(
      "type: charm\nbases:\n  - build-on:\n    - name: ubuntu\n      channel: \"22.04\"\n    "
      "run-on:\n    - name: ubuntu\n      channel: \"22.04\"\n      architectures: [amd64]\n");
  EXPECT_EQ(project.name, "split");
  ASSERT_EQ(project.options.size(), 1U);
  EXPECT_EQ(project.options[0].name, "level");
  EXPECT_TRUE(project.document["actions"]["snapshot"]);
  EXPECT_EQ(project.split_files,
            (std::vector<std::string>{"metadata.yaml", "config.yaml", "actions.yaml"}));
  ASSERT_EQ(project.targets.size(), 1U);
  EXPECT_EQ(project.targets[0].file_name(project.name), "split_ubuntu-22.04-amd64.charm");

  write_file(dir_.path() / "config.yaml", "options:\n  level:\n    type: number\n");
  try {
    (void)load_charm_project(dir_.path(), {});
    FAIL();
  } catch (const ConfigError& error) {
    EXPECT_EQ(fs::path(error.position().file).filename(), "config.yaml");
    EXPECT_EQ(error.position().line, 3U);
  }
}

TEST_F(CharmProjectTest, PlatformsGiveCharmcraftsFileNames) {
  const auto project = load(
      "name: multi\ntype: charm\nsummary: s\ndescription: d\nbase: ubuntu@24.04\nplatforms:\n"
      "  amd64:\n  arm64:\n  ubuntu@22.04:amd64:\n");
  std::vector<std::string> names;
  for (const auto& target : project.targets) {
    names.push_back(target.file_name(project.name) + " " + target.channel + " " + target.build_for);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"multi_amd64.charm 24.04 amd64",
                                             "multi_arm64.charm 24.04 arm64",
                                             "multi_ubuntu@22.04-amd64.charm 22.04 amd64"}));
}

}  // namespace
}  // namespace gantry::charm_pack
