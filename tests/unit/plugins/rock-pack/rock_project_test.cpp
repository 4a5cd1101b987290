#include "rock_project.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gantry::rock_pack {
namespace {

// Eleven lines; a test's own keys start on line 12.
const std::string kMinimal = R"(name: hello
summary: A rock
description: Says hello.
version: "1.0"
base: bare
build-base: ubuntu@24.04
platforms:
  amd64:
parts:
  app:
    plugin: nil
)";

struct Failure {
  std::string message;
  std::string where;
  std::string resolution;
};

RockProject parse(const std::string& text, std::vector<std::string>* warnings = nullptr) {
  return parse_rock_project(text, "rockcraft.yaml", [warnings](const std::string& warning) {
    if (warnings != nullptr) {
      warnings->push_back(warning);
    }
  });
}

Failure failure_of(const std::string& text) {
  try {
    (void)parse(text);
  } catch (const ConfigError& error) {
    return {error.what(), error.position().to_string(), error.resolution()};
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

/// `text` with the line that starts with `key:` replaced by `line`.
std::string replacing(std::string text, const std::string& key, const std::string& line) {
  const auto start = text.find(key + ":");
  const auto end = text.find('\n', start);
  return text.replace(start, end - start, line);
}

std::string replacing(const std::string& key, const std::string& line) {
  return replacing(kMinimal, key, line);
}

std::string without(const std::string& key) {
  std::string text = kMinimal;
  const auto start = text.find(key + ":");
  auto end = text.find('\n', start) + 1;
  while (end < text.size() && text[end] == ' ') {
    end = text.find('\n', end) + 1;
  }
  return text.erase(start, end - start);
}

using Pairs = std::vector<std::pair<std::string, std::string>>;
using Strings = std::vector<std::string>;

TEST(RockProjectTest, ReadsAFullProjectInFileOrderWithDefaults) {
  std::vector<std::string> warnings;
  const RockProject project = parse(R"(name: hello-rock
title: Hello Rock
summary: A friendly rock
description: |
  Says hello
  twice.
version: 1.10
license: mit OR Apache-2.0
base: ubuntu:22.04
run_user: _daemon_
contact: [me@example.com, https://example.com/contact]
issues: https://example.com/issues
source-code: https://example.com/hello.git
platforms:
  amd64:
  arm64:
    build-on: [amd64, arm64]
    build-for: arm64
  cross:
    build-on: amd64
    build-for: [riscv64]
environment:
  GREETING: hello
  PRICE: "5$"
  PORT: 8080
services:
  web:
    override: replace
    command: /bin/hello --serve [ --port 8080 ]
    startup: enabled
    after: [db]
    environment: {MODE: prod}
    user-id: 584792
    on-success: shutdown
    on-failure: success-shutdown
    on-check-failure: {up: restart}
    backoff-factor: 1.5
    kill-delay: 10s
  db:
    override: merge
    command: /bin/db
checks:
  up:
    override: replace
    level: alive
    threshold: 3
    http: {url: "http://localhost:8080/health", headers: {X-Probe: "1"}}
  port:
    override: replace
    tcp: {port: 8080}
  script:
    override: merge
    exec: {command: /bin/check, service-context: web, user-id: 0}
entrypoint-service: web
package-repositories:
  - type: apt
    url: https://repo.example.com/ubuntu
    key-id: 0123456789ABCDEF0123456789ABCDEF01234567
    suites: [jammy]
    components: [main]
  - type: apt
    ppa: deadsnakes/ppa
parts:
  app:
    plugin: python
    source: .
    source-subdir: app
    python-requirements: [requirements.txt]
    stage-packages: [python3-venv]
    build-environment:
      - PIP_NO_CACHE_DIR: "1"
      - MODE: release
    organize:
      bin/hello: usr/bin/hello
      lib/*: usr/lib/
    stage: [usr, -usr/share/doc]
    override-build: |
      craftctl default
    permissions:
      - path: usr/bin/hello
        owner: 584792
        group: 584792
        mode: "0o755"
  lib:
    plugin: dump
    source: https://example.com/lib.tar.gz
    source-type: tar
    after: [app]
    prime: [usr/lib]
)",
                                    &warnings);
  EXPECT_EQ(project.file, "rockcraft.yaml");
  EXPECT_EQ(project.name, "hello-rock");
  EXPECT_EQ(project.title, "Hello Rock");
  EXPECT_EQ(project.summary, "A friendly rock");
  EXPECT_EQ(project.description, "Says hello\ntwice.\n");
  EXPECT_EQ(project.version, "1.10");  // the number's text, not Python's float 1.1
  EXPECT_EQ(project.license, "MIT OR Apache-2.0");
  EXPECT_EQ(project.base, "ubuntu@22.04");
  EXPECT_EQ(project.build_base, "ubuntu@22.04");
  EXPECT_EQ(project.run_user, "_daemon_");
  EXPECT_EQ(project.contact, (Strings{"me@example.com", "https://example.com/contact"}));
  EXPECT_EQ(project.issues, Strings{"https://example.com/issues"});
  EXPECT_EQ(project.source_code, "https://example.com/hello.git");

  ASSERT_EQ(project.platforms.size(), 3U);
  EXPECT_EQ(project.platforms[0].label, "amd64");
  EXPECT_EQ(project.platforms[0].build_on, Strings{"amd64"});
  EXPECT_EQ(project.platforms[0].build_for, "amd64");
  EXPECT_EQ(project.platforms[0].position.to_string(), "rockcraft.yaml:15:3");
  EXPECT_EQ(project.platforms[1].build_on, (Strings{"amd64", "arm64"}));
  EXPECT_EQ(project.platforms[1].build_for, "arm64");
  EXPECT_EQ(project.platforms[2].label, "cross");
  EXPECT_EQ(project.platforms[2].build_on, Strings{"amd64"});
  EXPECT_EQ(project.platforms[2].build_for, "riscv64");

  EXPECT_EQ(project.environment, (Pairs{{"GREETING", "hello"}, {"PRICE", "5$"}, {"PORT", "8080"}}));
  ASSERT_TRUE(project.services.IsMap());
  EXPECT_EQ(project.services.begin()->first.as<std::string>(), "web");
  EXPECT_EQ(project.services["web"]["command"].as<std::string>(),
            "/bin/hello --serve [ --port 8080 ]");
  ASSERT_TRUE(project.checks.IsMap());
  EXPECT_EQ(project.checks.size(), 3U);
  EXPECT_EQ(project.entrypoint_service, "web");
  EXPECT_TRUE(project.entrypoint_command.empty());
  EXPECT_EQ(project.package_repositories.size(), 2U);
  EXPECT_TRUE(project.extensions.empty());

  ASSERT_EQ(project.parts.size(), 2U);
  const PartSpec& app = project.parts[0];
  EXPECT_EQ(app.name, "app");
  EXPECT_EQ(app.position.to_string(), "rockcraft.yaml:64:3");
  EXPECT_EQ(app.plugin, "python");
  EXPECT_EQ(app.source, ".");
  EXPECT_EQ(app.source_subdir, "app");
  EXPECT_EQ(app.python_requirements, Strings{"requirements.txt"});
  EXPECT_EQ(app.python_packages, (Strings{"pip", "setuptools", "wheel"}));
  EXPECT_EQ(app.stage_packages, Strings{"python3-venv"});
  EXPECT_EQ(app.build_environment, (Pairs{{"PIP_NO_CACHE_DIR", "1"}, {"MODE", "release"}}));
  EXPECT_EQ(app.organize, (Pairs{{"bin/hello", "usr/bin/hello"}, {"lib/*", "usr/lib/"}}));
  EXPECT_EQ(app.stage, (Strings{"usr", "-usr/share/doc"}));
  EXPECT_EQ(app.prime, Strings{"*"});
  EXPECT_EQ(app.override_build, std::optional<std::string>("craftctl default\n"));
  EXPECT_FALSE(app.override_pull.has_value());
  ASSERT_EQ(app.permissions.size(), 1U);
  EXPECT_EQ(app.permissions[0].path, "usr/bin/hello");
  EXPECT_EQ(app.permissions[0].owner, 584792U);
  EXPECT_EQ(app.permissions[0].group, 584792U);
  EXPECT_EQ(app.permissions[0].mode, 0755U);
  const PartSpec& lib = project.parts[1];
  EXPECT_EQ(lib.name, "lib");
  EXPECT_EQ(lib.plugin, "dump");
  EXPECT_EQ(lib.source_type, "tar");
  EXPECT_EQ(lib.after, Strings{"app"});
  EXPECT_EQ(lib.stage, Strings{"*"});
  EXPECT_EQ(lib.prime, Strings{"usr/lib"});
  EXPECT_TRUE(lib.python_packages.empty());

  ASSERT_EQ(warnings.size(), 2U);
  EXPECT_EQ(warnings[0],
            "Warning: use of \":\" in field \"base\" is deprecated. Prefer \"ubuntu@22.04\" "
            "instead.");
  EXPECT_TRUE(
      warnings[1].starts_with("Warning: 'entrypoint-service' is defined. This operation "
                              "will result in a rock with an atypical OCI Entrypoint."))
      << warnings[1];
}

TEST(RockProjectTest, MinimalProjectTakesRockcraftsDefaults) {
  const RockProject project = parse(kMinimal);
  EXPECT_EQ(project.title, "hello");
  EXPECT_EQ(project.build_base, "ubuntu@24.04");
  EXPECT_TRUE(project.run_user.empty());
  EXPECT_TRUE(project.license.empty());
  EXPECT_TRUE(project.services.IsNull());
  EXPECT_TRUE(project.checks.IsNull());
  ASSERT_EQ(project.parts.size(), 1U);
  EXPECT_EQ(project.parts[0].stage, Strings{"*"});
  EXPECT_EQ(project.parts[0].overlay_files, Strings{"*"});
}

// ---- YAML itself ----

TEST(RockProjectTest, YamlSyntaxErrorsCarryTheirPosition) {
  const auto failure = failure_of("name: hello\nparts: [unclosed\n");
  EXPECT_EQ(failure.where, "rockcraft.yaml:3:1");
  EXPECT_TRUE(failure.message.starts_with("error parsing 'rockcraft.yaml': ")) << failure.message;
}

TEST(RockProjectTest, RefusesADuplicateKeyAtItsSecondOccurrence) {
  const auto failure = failure_of(kMinimal + "summary: Again\n");
  EXPECT_EQ(failure.message, "found duplicate key 'summary'");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:1");
  EXPECT_EQ(failure.resolution, "Keep one of them; the first is at rockcraft.yaml:2:1.");
}

TEST(RockProjectTest, RefusesADuplicateKeyInsideAService) {
  const auto failure = failure_of(kMinimal + R"(services:
  web:
    override: replace
    command: /bin/a
    command: /bin/b
)");
  EXPECT_EQ(failure.message, "found duplicate key 'command'");
  EXPECT_EQ(failure.where, "rockcraft.yaml:16:5");
}

TEST(RockProjectTest, RefusesBothSpellingsOfOneKey) {
  const auto failure = failure_of(kMinimal + "run-user: _daemon_\nrun_user: _daemon_\n");
  EXPECT_EQ(failure.message, "found duplicate key 'run-user' (also given at rockcraft.yaml:12:1)");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:1");
}

TEST(RockProjectTest, RefusesADocumentThatIsNotAMapping) {
  const auto failure = failure_of("- name\n");
  EXPECT_EQ(failure.message, "Project data is not a dictionary");
  EXPECT_EQ(failure.where, "rockcraft.yaml:1:1");
}

// ---- top-level keys ----

TEST(RockProjectTest, RefusesAnUnknownTopLevelKey) {
  const auto failure = failure_of(kMinimal + "colour: blue\n");
  EXPECT_EQ(failure.message, "extra field 'colour' not permitted in top-level configuration");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:1");
}

TEST(RockProjectTest, RefusesEntrypointCmdAndEnvWithRockcraftsExplanation) {
  for (const std::string key : {"entrypoint", "cmd", "env"}) {
    const auto failure = failure_of(kMinimal + key + ": [/bin/app]\n");
    EXPECT_EQ(failure.message,
              "the fields 'entrypoint', 'cmd' and 'env' are not supported in Rockcraft. All rocks "
              "have Pebble as their entrypoint, so you must use 'services' to define your "
              "container application and respective environment.");
    EXPECT_EQ(failure.where, "rockcraft.yaml:12:1");
  }
}

TEST(RockProjectTest, NamesEachMissingRequiredKey) {
  for (const std::string key : {"name", "summary", "description", "base", "platforms", "parts"}) {
    const auto failure = failure_of(without(key));
    EXPECT_EQ(failure.message, "field '" + key + "' required in top-level configuration");
    EXPECT_EQ(failure.where, "rockcraft.yaml:1:1");
  }
}

TEST(RockProjectTest, RequiresVersionUnlessAdoptInfoIsSet) {
  const auto failure = failure_of(without("version"));
  EXPECT_EQ(failure.message, "'adopt-info' not set and required fields are missing: 'version'");
  EXPECT_EQ(failure.where, "rockcraft.yaml:1:1");
  const RockProject adopted = parse(without("version") + "adopt-info: app\n");
  EXPECT_EQ(adopted.adopt_info, "app");
  EXPECT_TRUE(adopted.version.empty());
}

TEST(RockProjectTest, EmptyAdoptableFieldsCountAsMissing) {
  const auto failure =
      failure_of(replacing(replacing("summary", "summary: \"\""), "version", "version: \"\""));
  EXPECT_EQ(failure.message,
            "invalid version: Valid versions consist of upper- and lower-case "
            "alphanumeric characters, as well as periods, colons, plus signs, "
            "tildes, and hyphens. They cannot begin with a period, colon, plus "
            "sign, tilde, or hyphen. They cannot end with a period, colon, or "
            "hyphen. (in field 'version', input: '')");
  const auto empty = failure_of(
      replacing(replacing("summary", "summary: \"\""), "description", "description: \"\""));
  EXPECT_EQ(empty.message,
            "'adopt-info' not set and required fields are missing: 'description', 'summary'");
  EXPECT_EQ(empty.where, "rockcraft.yaml:1:1");
}

TEST(RockProjectTest, AnUnquotedBooleanIsNoString) {
  const auto failure = failure_of(kMinimal + "environment:\n  DEBUG: on\n");
  EXPECT_EQ(failure.message,
            "input should be a valid string (in field 'environment.DEBUG', input: True)");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:10");
  EXPECT_EQ(failure.resolution, "Quote the value: YAML reads an unquoted on as a boolean.");
  EXPECT_EQ(parse(kMinimal + "environment:\n  DEBUG: \"on\"\n").environment,
            (Pairs{{"DEBUG", "on"}}));
}

TEST(RockProjectTest, AdoptInfoNamesADefinedPart) {
  const auto failure = failure_of(without("version") + "adopt-info: missing\n");
  EXPECT_EQ(failure.message, "A part named 'missing' is not defined in the parts list.");
  EXPECT_EQ(failure.where, "rockcraft.yaml:11:13");
}

TEST(RockProjectTest, RefusesAnInvalidNameWithCraftApplicationsMessage) {
  const auto failure = failure_of(replacing("name", "name: My_Rock"));
  EXPECT_EQ(failure.message,
            "invalid name: Names can only use ASCII lowercase letters, numbers, and hyphens. They "
            "must have at least one letter, may not start or end with a hyphen, and may not have "
            "two hyphens in a row. (in field 'name', input: 'My_Rock')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:1:7");
  for (const std::string name : {"-a", "a-", "a--b", "123", "a.b"}) {
    EXPECT_TRUE(failure_of(replacing("name", "name: \"" + name + "\""))
                    .message.starts_with("invalid name:"))
        << name;
  }
  for (const std::string name : {"a", "ab", "1a", "a1-b2", "x-1"}) {
    EXPECT_EQ(parse(replacing("name", "name: " + name)).name, name);
  }
}

TEST(RockProjectTest, RefusesANameLongerThanForty) {
  const auto failure = failure_of(replacing("name", "name: " + std::string(41, 'a')));
  EXPECT_EQ(failure.message, "string should have at most 40 characters (in field 'name', input: '" +
                                 std::string(41, 'a') + "')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:1:7");
}

TEST(RockProjectTest, RefusesANameThatIsNotAString) {
  const auto failure = failure_of(replacing("name", "name: [a]"));
  EXPECT_EQ(failure.message, "input should be a valid string (in field 'name')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:1:7");
}

TEST(RockProjectTest, TitleIsTwoToFortyCharacters) {
  const auto failure = failure_of(kMinimal + "title: X\n");
  EXPECT_EQ(failure.message,
            "string should have at least 2 characters (in field 'title', input: 'X')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:8");
  EXPECT_EQ(parse(kMinimal + "title: \"\"\n").title, "hello");
}

TEST(RockProjectTest, RefusesAnInvalidVersion) {
  const auto failure = failure_of(replacing("version", "version: 1.0-"));
  EXPECT_EQ(failure.message,
            "invalid version: Valid versions consist of upper- and lower-case alphanumeric "
            "characters, as well as periods, colons, plus signs, tildes, and hyphens. They cannot "
            "begin with a period, colon, plus sign, tilde, or hyphen. They cannot end with a "
            "period, colon, or hyphen. (in field 'version', input: '1.0-')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:4:10");
  EXPECT_EQ(failure_of(replacing("version", "version: " + std::string(33, '1'))).message,
            "string should have at most 32 characters (in field 'version', input: " +
                std::string(33, '1') + ")");
  EXPECT_EQ(parse(replacing("version", "version: 2")).version, "2");
  EXPECT_EQ(parse(replacing("version", "version: 1.0+git~2")).version, "1.0+git~2");
}

TEST(RockProjectTest, RefusesAVersionThatIsABoolean) {
  const auto failure = failure_of(replacing("version", "version: yes"));
  EXPECT_EQ(failure.message, "input should be a valid string (in field 'version', input: True)");
}

// ---- bases ----

TEST(RockProjectTest, RefusesAnUnknownBase) {
  const auto failure = failure_of(replacing("base", "base: ubuntu@18.04"));
  EXPECT_EQ(failure.message,
            "input should be 'bare', 'ubuntu@20.04', 'ubuntu@22.04', 'ubuntu@24.04', "
            "'ubuntu@25.10', 'ubuntu@26.04' or 'ubuntu@26.10' (in field 'base', input: "
            "'ubuntu@18.04')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:5:7");
}

TEST(RockProjectTest, RewritesTheDeprecatedColonBasesWithAWarning) {
  std::vector<std::string> warnings;
  const auto project = parse(replacing("build-base", "build-base: ubuntu:20.04"), &warnings);
  EXPECT_EQ(project.build_base, "ubuntu@20.04");
  EXPECT_EQ(warnings, Strings{"Warning: use of \":\" in field \"build-base\" is deprecated. Prefer "
                              "\"ubuntu@20.04\" instead."});
}

TEST(RockProjectTest, BareBaseRequiresABuildBase) {
  const auto failure = failure_of(without("build-base"));
  EXPECT_EQ(failure.message,
            "when \"base\" is \"bare\", a build-base must be specified. (in field 'build-base', "
            "input: None)");
  EXPECT_EQ(failure.where, "rockcraft.yaml:5:1");
}

TEST(RockProjectTest, RefusesAnUnknownBuildBase) {
  const auto failure = failure_of(replacing("build-base", "build-base: ubuntu@26.10"));
  EXPECT_EQ(failure.message,
            "input should be 'ubuntu@20.04', 'ubuntu@22.04', 'ubuntu@24.04', 'ubuntu@25.10', "
            "'ubuntu@26.04' or 'devel' (in field 'build-base', input: 'ubuntu@26.10')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:6:13");
}

TEST(RockProjectTest, TheDevelopmentBaseNeedsTheDevelBuildBase) {
  const std::string devel_base = replacing("base", "base: ubuntu@26.10");
  const auto failure = failure_of(devel_base);
  EXPECT_EQ(failure.message,
            "a development build-base must be used when base is 'ubuntu@26.10' (in field "
            "'build-base', input: 'ubuntu@24.04')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:6:13");
  std::vector<std::string> warnings;
  const auto project = parse(replacing(devel_base, "build-base", "build-base: devel"), &warnings);
  EXPECT_EQ(project.build_base, "devel");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_TRUE(warnings[0].starts_with("The development build-base should only be used"));
}

// ---- platforms ----

std::string platforms(const std::string& body) {
  std::string text = without("platforms");
  return text + "platforms:\n" + body;  // starts on line 10
}

TEST(RockProjectTest, BuildForMustMatchAnArchitectureLabel) {
  const auto failure =
      failure_of(platforms("  amd64:\n    build-on: [amd64]\n    build-for: arm64\n"));
  EXPECT_EQ(failure.message,
            "error for platform entry 'amd64': if 'build-for' is provided and the platform entry "
            "label corresponds to a valid architecture, then both values must match. amd64 != "
            "arm64 (in field 'platforms')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:16");
}

TEST(RockProjectTest, RefusesAnUnknownArchitecture) {
  const auto failure = failure_of(platforms("  sparc:\n"));
  EXPECT_EQ(failure.message,
            "'sparc' is not a valid Debian architecture. (in field 'platforms.sparc', input: "
            "None)");
  EXPECT_EQ(failure.where, "rockcraft.yaml:11:3");
  const auto build_on =
      failure_of(platforms("  mine:\n    build-on: [amd64, m68k]\n    "
                           "build-for: amd64\n"));
  EXPECT_EQ(build_on.message,
            "'m68k' is not a valid Debian architecture. (in field "
            "'platforms.mine.build-on[1]', input: 'm68k')");
  EXPECT_EQ(build_on.where, "rockcraft.yaml:12:23");
}

TEST(RockProjectTest, RefusesATargetRockcraftCannotBuildFor) {
  const auto failure =
      failure_of(platforms("  any-arch:\n    build-on: amd64\n    build-for: all\n"));
  EXPECT_EQ(failure.message,
            "error for platform entry 'any-arch': trying to build rock for target architecture "
            "all, which is not supported. Supported architectures: ['amd64', 'armhf', 'arm64', "
            "'i386', 'ppc64el', 'riscv64', 's390x'] (in field 'platforms')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:5");
}

TEST(RockProjectTest, RefusesBuildOnsRockcraftCannotBuildOn) {
  const auto failure = failure_of(
      platforms("  mine:\n    build-on: [\"ubuntu@22.04:amd64\"]\n    build-for: amd64\n"));
  EXPECT_EQ(failure.message,
            "error for platform entry 'mine': trying to build rock in one of "
            "['ubuntu@22.04:amd64'], but none of these build architectures is supported. "
            "Supported architectures: ['amd64', 'armhf', 'arm64', 'i386', 'ppc64el', 'riscv64', "
            "'s390x'] (in field 'platforms')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:5");
  EXPECT_EQ(failure_of(platforms("  mine:\n    build-on: all\n    build-for: amd64\n")).message,
            "'all' cannot be used for 'build-on' (in field 'platforms.mine.build-on', input: "
            "'all')");
}

TEST(RockProjectTest, BuildForNeedsBuildOn) {
  const auto failure = failure_of(platforms("  amd64:\n    build-for: amd64\n"));
  EXPECT_EQ(failure.message, "'build-for' expects 'build-on' to also be provided.");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:5");
}

TEST(RockProjectTest, ALabelThatIsNoArchitectureNeedsBuildFor) {
  const auto failure = failure_of(platforms("  mine:\n    build-on: [amd64]\n"));
  EXPECT_EQ(failure.message, "field 'build-for' required in 'platforms.mine' configuration");
  EXPECT_EQ(failure.where, "rockcraft.yaml:11:3");
  const auto project = parse(platforms("  riscv64:\n    build-on: [amd64, riscv64]\n"));
  EXPECT_EQ(project.platforms[0].build_for, "riscv64");
}

TEST(RockProjectTest, BuildForIsASingleArchitecture) {
  const auto failure =
      failure_of(platforms("  mine:\n    build-on: [amd64]\n    build-for: [amd64, arm64]\n"));
  EXPECT_EQ(failure.message,
            "list should have at most 1 item after validation, not 2 (in field "
            "'platforms.mine.build-for')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:16");
}

TEST(RockProjectTest, RefusesReservedAndUnknownPlatformKeys) {
  EXPECT_EQ(failure_of(platforms("  any:\n")).message, "Reserved platform name: 'any'");
  const auto failure = failure_of(platforms("  amd64:\n    build-on: amd64\n    run-on: amd64\n"));
  EXPECT_EQ(failure.message,
            "extra field 'run-on' not permitted in 'platforms.amd64' configuration");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:5");
}

// ---- environment, run-user, license, metadata ----

TEST(RockProjectTest, RefusesEnvironmentInterpolation) {
  const auto failure =
      failure_of(kMinimal + "environment:\n  PATH: /app/bin:$PATH\n  HOME: /app\n  X: a${B}c\n");
  EXPECT_EQ(failure.message,
            "string interpolation not allowed for: /app/bin:$PATH ; a${B}c (in field "
            "'environment')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:3");
}

TEST(RockProjectTest, RunUserIsOnlyDaemon) {
  EXPECT_EQ(parse(kMinimal + "run-user: _daemon_\n").run_user, "_daemon_");
  const auto failure = failure_of(kMinimal + "run-user: root\n");
  EXPECT_EQ(failure.message, "input should be '_daemon_' (in field 'run-user', input: 'root')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:11");
}

TEST(RockProjectTest, LicenseIsProprietaryOrSpdx) {
  EXPECT_EQ(parse(kMinimal + "license: proprietary\n").license, "proprietary");
  EXPECT_EQ(parse(kMinimal + "license: apache-2.0\n").license, "Apache-2.0");
  EXPECT_EQ(parse(kMinimal + "license: GPL-2.0+ WITH Classpath-exception-2.0\n").license,
            "GPL-2.0+ WITH Classpath-exception-2.0");
  EXPECT_EQ(parse(kMinimal + "license: (MIT AND BSD-3-Clause) or LicenseRef-Mine\n").license,
            "(MIT AND BSD-3-Clause) OR LicenseRef-Mine");
  const auto failure = failure_of(kMinimal + "license: Apache 2\n");
  EXPECT_EQ(failure.message,
            "license Apache 2 not valid. It must be either 'proprietary' or in SPDX format. (in "
            "field 'license', input: 'Apache 2')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:10");
  EXPECT_FALSE(failure_of(kMinimal + "license: MIT AND\n").message.empty());
}

TEST(RockProjectTest, ContactIsAUniqueListAndSourceCodeAUrl) {
  const auto failure = failure_of(kMinimal + "contact: [a@b.c, a@b.c]\n");
  EXPECT_EQ(failure.message, "duplicate values in list: ['a@b.c'] (in field 'contact')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:10");
  const auto url = failure_of(kMinimal + "source-code: github/hello\n");
  EXPECT_EQ(url.message,
            "input should be a valid URL, relative URL without a base (in field 'source-code', "
            "input: 'github/hello')");
}

TEST(RockProjectTest, RefusesUnknownExtensions) {
  const auto failure = failure_of(kMinimal + "extensions: [flask-framework, rails-framework]\n");
  EXPECT_EQ(failure.message, "Extension 'rails-framework' does not exist");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:31");
}

// ---- services ----

const std::string kService = kMinimal + R"(services:
  web:
    override: replace
    command: /bin/web
)";  // "web" is on line 13; its keys on lines 14-15, more from line 16

TEST(RockProjectTest, ServicesNeedOverrideAndCommand) {
  const auto failure = failure_of(kMinimal + "services:\n  web:\n    command: /bin/web\n");
  EXPECT_EQ(failure.message, "field 'override' required in 'services.web' configuration");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:3");
  const auto command = failure_of(kMinimal + "services:\n  web:\n    override: merge\n");
  EXPECT_EQ(command.message, "field 'command' required in 'services.web' configuration");
  EXPECT_EQ(command.where, "rockcraft.yaml:13:3");
}

TEST(RockProjectTest, ChecksEveryServiceField) {
  struct Case {
    std::string line;
    std::string message;
  };
  const std::vector<Case> cases{
      {"startup: sometimes",
       "input should be 'enabled' or 'disabled' (in field 'services.web.startup', input: "
       "'sometimes')"},
      {"on-success: success-shutdown",
       "input should be 'restart', 'shutdown', 'failure-shutdown' or 'ignore' (in field "
       "'services.web.on-success', input: 'success-shutdown')"},
      {"on-failure: failure-shutdown",
       "input should be 'restart', 'shutdown', 'success-shutdown' or 'ignore' (in field "
       "'services.web.on-failure', input: 'failure-shutdown')"},
      {"on-check-failure: {up: reboot}",
       "input should be 'restart', 'shutdown', 'success-shutdown' or 'ignore' (in field "
       "'services.web.on-check-failure.up', input: 'reboot')"},
      {"backoff-factor: 0.5",
       "input should be greater than or equal to 1 (in field 'services.web.backoff-factor', "
       "input: 0.5)"},
      {"backoff-factor: fast",
       "input should be a valid number, unable to parse string as a number (in field "
       "'services.web.backoff-factor', input: 'fast')"},
      {"user-id: daemon",
       "input should be a valid integer, unable to parse string as an integer (in field "
       "'services.web.user-id', input: 'daemon')"},
      {"after: db", "input should be a valid list (in field 'services.web.after', input: 'db')"},
      {"environment: [A=1]",
       "input should be a valid dictionary (in field 'services.web.environment')"},
      {"summary: [a]", "input should be a valid string (in field 'services.web.summary')"},
      {"override: update", "found duplicate key 'override'"},
  };
  for (const auto& [line, message] : cases) {
    const auto failure = failure_of(kService + "    " + line + "\n");
    EXPECT_EQ(failure.message, message) << line;
    EXPECT_TRUE(failure.where.starts_with("rockcraft.yaml:16:")) << line << " " << failure.where;
  }
  EXPECT_NO_THROW((void)parse(kService +
                              "    on-success: failure-shutdown\n    on-failure: success-shutdown\n"
                              "    backoff-factor: 1\n    startup: disabled\n"));
}

TEST(RockProjectTest, RefusesUnknownServiceKeysAndUnderscoreSpellings) {
  const auto failure = failure_of(kService + "    restart: always\n");
  EXPECT_EQ(failure.message, "extra field 'restart' not permitted in 'services.web' configuration");
  EXPECT_EQ(failure.where, "rockcraft.yaml:16:5");
  const auto underscore = failure_of(kService + "    working_dir: /app\n");
  EXPECT_EQ(underscore.message,
            "extra field 'working_dir' not permitted in 'services.web' configuration");
  EXPECT_EQ(underscore.resolution, "Pebble spells it 'working-dir'.");
}

TEST(RockProjectTest, AServiceIsAMapping) {
  const auto failure = failure_of(kMinimal + "services:\n  web: /bin/web\n");
  EXPECT_EQ(failure.message,
            "input should be a valid dictionary or instance of Service (in field 'services.web', "
            "input: '/bin/web')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:13:8");
}

// ---- checks ----

TEST(RockProjectTest, ACheckHasExactlyOneType) {
  const auto none = failure_of(kMinimal + "checks:\n  up:\n    override: replace\n");
  EXPECT_EQ(none.message, "Must specify exactly one of http, tcp, exec for each check.");
  EXPECT_EQ(none.where, "rockcraft.yaml:13:3");
  const auto two = failure_of(kMinimal + R"(checks:
  up:
    override: replace
    tcp: {port: 80}
    http: {url: "http://localhost/"}
)");
  EXPECT_EQ(two.message,
            "Multiple check types specified (http, tcp). Each check must have exactly one type.");
  EXPECT_EQ(two.where, "rockcraft.yaml:13:3");
}

TEST(RockProjectTest, ChecksEveryCheckField) {
  const std::string check = kMinimal + "checks:\n  up:\n    override: replace\n";  // 13-14
  struct Case {
    std::string lines;
    std::string message;
    std::string where;
  };
  const std::vector<Case> cases{
      {"    tcp: {port: 80}\n    level: healthy\n",
       "input should be 'alive' or 'ready' (in field 'checks.up.level', input: 'healthy')",
       "rockcraft.yaml:16:12"},
      {"    tcp: {port: 80}\n    threshold: 0\n",
       "input should be greater than or equal to 1 (in field 'checks.up.threshold', input: 0)",
       "rockcraft.yaml:16:16"},
      {"    tcp: {port: 70000}\n",
       "input should be less than or equal to 65535 (in field 'checks.up.tcp.port', input: "
       "70000)",
       "rockcraft.yaml:15:17"},
      {"    tcp: {host: localhost}\n", "field 'port' required in 'checks.up.tcp' configuration",
       "rockcraft.yaml:15:5"},
      {"    http: {url: \"ftp://localhost/\"}\n",
       "URL scheme should be 'http' or 'https' (in field 'checks.up.http.url', input: "
       "'ftp://localhost/')",
       "rockcraft.yaml:15:17"},
      {"    exec: {user: root}\n", "field 'command' required in 'checks.up.exec' configuration",
       "rockcraft.yaml:15:5"},
      {"    exec: {command: /bin/true, user-id: -1}\n",
       "input should be greater than or equal to 0 (in field 'checks.up.exec.user-id', input: "
       "-1)",
       "rockcraft.yaml:15:41"},
      {"    exec: {command: /bin/true}\n    interval: 5s\n",
       "extra field 'interval' not permitted in 'checks.up' configuration", "rockcraft.yaml:16:5"},
  };
  for (const auto& [lines, message, where] : cases) {
    const auto failure = failure_of(check + lines);
    EXPECT_EQ(failure.message, message) << lines;
    EXPECT_EQ(failure.where, where) << lines;
  }
  const auto no_override = failure_of(kMinimal + "checks:\n  up:\n    tcp: {port: 80}\n");
  EXPECT_EQ(no_override.message, "field 'override' required in 'checks.up' configuration");
  EXPECT_EQ(no_override.where, "rockcraft.yaml:13:3");
}

// ---- entrypoints ----

TEST(RockProjectTest, EntrypointServiceMustNameAService) {
  const auto failure = failure_of(kService + "entrypoint-service: api\n");
  EXPECT_EQ(failure.message,
            "the provided entrypoint-service 'api' is not a valid Pebble service. (in field "
            "'entrypoint-service', input: 'api')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:16:21");
}

TEST(RockProjectTest, EntrypointServiceNeedsDefaultArguments) {
  const auto failure = failure_of(kService + "entrypoint-service: web\n");
  EXPECT_EQ(failure.message,
            "the Pebble service 'web' has a command /bin/web without default arguments and thus "
            "cannot be used as the entrypoint-service. (in field 'entrypoint-service', input: "
            "'web')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:16:21");
}

TEST(RockProjectTest, ReportsBracketSyntaxErrorsOfTheEntrypointServiceCommand) {
  const std::string head = kMinimal + "services:\n  web:\n    override: replace\n";
  const auto nested =
      failure_of(head + "    command: /bin/web [ a [ b ] ]\nentrypoint-service: web\n");
  EXPECT_EQ(nested.message,
            "cannot nest [ ... ] groups. (in field 'entrypoint-service', input: '/bin/web [ a [ b "
            "] ]')");
  EXPECT_EQ(nested.where, "rockcraft.yaml:15:14");
  const auto after = failure_of(head + "    command: /bin/web [ a ] b\nentrypoint-service: web\n");
  EXPECT_EQ(after.message,
            "cannot have any arguments after [ ... ] group. (in field 'entrypoint-service', "
            "input: '/bin/web [ a ] b')");
}

TEST(RockProjectTest, EntrypointCommandCannotGoAlongEntrypointService) {
  const auto failure = failure_of(kMinimal + R"(services:
  web:
    override: replace
    command: /bin/web [ --port 80 ]
entrypoint-service: web
entrypoint-command: /bin/other
)");
  EXPECT_EQ(failure.message,
            "the option 'entrypoint-command' cannot be used along 'entrypoint-service'. (in field "
            "'entrypoint-command', input: '/bin/other')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:17:21");
}

TEST(RockProjectTest, EntrypointCommandIsCheckedAndWarnedAbout) {
  std::vector<std::string> warnings;
  const auto project = parse(kMinimal + "entrypoint-command: /bin/app [ --port 80 ]\n", &warnings);
  EXPECT_EQ(project.entrypoint_command, "/bin/app [ --port 80 ]");
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_TRUE(warnings[0].starts_with("Warning: 'entrypoint-command' is defined."));
  const auto failure = failure_of(kMinimal + "entrypoint-command: /bin/app ] x\n");
  EXPECT_EQ(failure.message,
            "bad syntax for the command's additional args. (in field 'entrypoint-command', input: "
            "'/bin/app ] x')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:21");
}

TEST(RockProjectTest, ParsesCommandsAsRockcraftDoes) {
  const auto parsed = parse_command("/bin/app --name 'a b' \"c \\\"d\\\"\" [ --port 80 ]");
  EXPECT_EQ(parsed.command, (Strings{"/bin/app", "--name", "a b", "c \"d\""}));
  ASSERT_TRUE(parsed.default_args.has_value());
  EXPECT_EQ(*parsed.default_args, (Strings{"--port", "80"}));
  EXPECT_FALSE(parse_command("/bin/app").default_args.has_value());
  EXPECT_EQ(parse_command("/bin/app [ ]").default_args, std::optional<Strings>(Strings{}));
  EXPECT_THROW((void)parse_command("/bin/app 'open"), Error);
}

// ---- parts ----

TEST(RockProjectTest, RefusesAnUnknownPartKey) {
  const auto failure = failure_of(kMinimal + "    sources: .\n");
  EXPECT_EQ(failure.message, "extra field 'sources' not permitted in 'parts.app' configuration");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:5");
  const auto other_plugin = failure_of(kMinimal + "    python-packages: [flask]\n");
  EXPECT_EQ(other_plugin.message,
            "extra field 'python-packages' not permitted in 'parts.app' configuration");
}

TEST(RockProjectTest, RefusesPluginsGantryDoesNotRun) {
  const auto cmake = failure_of(replacing("    plugin", "    plugin: cmake"));
  EXPECT_EQ(cmake.message,
            "plugin 'cmake' is not supported by gantry rock-pack (supported: dump, go, make, nil, "
            "python) (in field 'parts.app.plugin', input: 'cmake')");
  EXPECT_EQ(cmake.where, "rockcraft.yaml:11:13");
  EXPECT_EQ(failure_of(replacing("    plugin", "    plugin: magic")).message,
            "plugin not registered: 'magic' (supported: dump, go, make, nil, python) (in field "
            "'parts.app.plugin', input: 'magic')");
  const auto missing = failure_of(replacing("    plugin", "    source: ."));
  EXPECT_EQ(missing.message, "'plugin' not defined (in field 'parts.app')");
  EXPECT_EQ(missing.where, "rockcraft.yaml:11:5");
}

TEST(RockProjectTest, PluginsThatBuildASourceNeedOne) {
  const auto failure = failure_of(replacing("    plugin", "    plugin: dump"));
  EXPECT_EQ(failure.message, "field 'source' required in 'parts.app' configuration");
  EXPECT_EQ(failure.where, "rockcraft.yaml:10:3");
}

TEST(RockProjectTest, RefusesAUserPebblePart) {
  const auto failure = failure_of(kMinimal + "  pebble:\n    plugin: nil\n");
  EXPECT_EQ(failure.message, "Cannot change the default \"pebble\" part");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:3");
}

TEST(RockProjectTest, RefusesOverlaysWithABareBase) {
  const auto failure = failure_of(kMinimal + "    overlay-packages: [vim]\n");
  EXPECT_EQ(failure.message,
            "part 'app' cannot use overlays with a 'bare' base (there is no system to overlay). "
            "(in field 'parts')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:10:3");
  EXPECT_NO_THROW(
      (void)parse(replacing("base", "base: ubuntu@24.04") + "    overlay-script: echo hi\n"));
}

TEST(RockProjectTest, AfterNamesDefinedParts) {
  const auto failure = failure_of(kMinimal + "    after: [app, libs]\n");
  EXPECT_EQ(failure.message, "A part named 'libs' is not defined in the parts list.");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:18");
}

TEST(RockProjectTest, FilesetsAreRelativePaths) {
  const auto failure = failure_of(kMinimal + "    stage: [usr, /etc]\n");
  EXPECT_EQ(failure.message,
            "'/etc' must be a relative path (cannot start with '/') (in field "
            "'parts.app.stage[1]', input: '/etc')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:18");
}

TEST(RockProjectTest, ChecksPermissions) {
  const auto pair =
      failure_of(kMinimal + "    permissions:\n      - path: bin\n        owner: 0\n");
  EXPECT_EQ(pair.message,
            "if either \"owner\" or \"group\" is defined, both must be set (in field "
            "'parts.app.permissions[0]')");
  EXPECT_EQ(pair.where, "rockcraft.yaml:13:9");
  const auto mode = failure_of(kMinimal + "    permissions:\n      - mode: 755\n");
  EXPECT_EQ(mode.message,
            "input should be a valid string (in field 'parts.app.permissions[0].mode', input: "
            "755)");
  EXPECT_EQ(mode.where, "rockcraft.yaml:13:15");
  EXPECT_EQ(mode.resolution, "Quote the mode, e.g. mode: \"755\".");
  EXPECT_EQ(failure_of(kMinimal + "    permissions:\n      - mode: \"9\"\n").message,
            "invalid literal for int() with base 8: '9' (in field "
            "'parts.app.permissions[0].mode', input: '9')");
}

TEST(RockProjectTest, ChecksSourceTypeAndGitReferences) {
  const auto type = failure_of(kMinimal + "    source: x\n    source-type: svn\n");
  EXPECT_EQ(type.message, "Failed to pull source: unknown source-type 'svn'.");
  EXPECT_EQ(type.where, "rockcraft.yaml:13:18");
  const auto refs =
      failure_of(kMinimal + "    source: x\n    source-tag: v1\n    source-branch: main\n");
  EXPECT_EQ(refs.message,
            "Failed to pull source: cannot specify both 'source-branch' and 'source-tag' for a "
            "git source.");
  EXPECT_EQ(refs.where, "rockcraft.yaml:10:3");
}

TEST(RockProjectTest, RefusesMixedPackagesAndSlices) {
  const auto failure = failure_of(kMinimal + "    stage-packages: [libc6_libs, python3]\n");
  EXPECT_EQ(failure.message,
            "cannot mix packages and slices in stage-packages (in field "
            "'parts.app.stage-packages')");
  EXPECT_EQ(failure.where, "rockcraft.yaml:12:21");
}

// ---- package repositories ----

TEST(RockProjectTest, ChecksPackageRepositories) {
  const auto key = failure_of(kMinimal + R"(package-repositories:
  - type: apt
    url: https://repo.example.com/ubuntu
    key-id: ABC
)");
  EXPECT_EQ(key.message,
            "string does not match regex \"^[0-9A-F]{40}$\" (in field "
            "'package-repositories[0].key-id', input: 'ABC')");
  EXPECT_EQ(key.where, "rockcraft.yaml:15:13");
  const auto suites = failure_of(kMinimal + R"(package-repositories:
  - type: apt
    url: https://repo.example.com/ubuntu
    key-id: 0123456789ABCDEF0123456789ABCDEF01234567
    suites: [jammy]
)");
  EXPECT_EQ(suites.message,
            "invalid package repository for 'https://repo.example.com/ubuntu': components must be "
            "specified when using suites. (in field 'package-repositories[0]')");
  EXPECT_EQ(suites.where, "rockcraft.yaml:13:5");
  EXPECT_EQ(failure_of(kMinimal + "package-repositories:\n  - ppa: a/b\n    type: yum\n").message,
            "input should be 'apt' (in field 'package-repositories[0].type', input: 'yum')");
}

}  // namespace
}  // namespace gantry::rock_pack
