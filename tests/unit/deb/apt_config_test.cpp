#include "gantry/deb/apt_config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "command.hpp"
#include "deb_error_text.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

using testing::error_of;

AptConfig parsed(const std::string& text) {
  AptConfig config;
  config.read(text, "test.conf");
  return config;
}

/// Sets an environment variable for one scope, restoring it after.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) {
      old_ = old;
    }
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

TEST(AptConfigTest, ReadsScopedNamesAndNestedBlocks) {
  const auto config = parsed(
      "Acquire::Check-Valid-Until \"false\";\n"
      "Acquire {\n  http { Proxy \"http://proxy:3128\"; Timeout 10; };\n  Retries \"3\";\n};\n"
      "APT\n{\n  NeverAutoRemove\n  {\n\t\"^firmware-linux.*\";\n  };\n};\n"
      "DPkg::Pre-Install-Pkgs {\"/usr/sbin/dpkg-preconfigure --apt || true\";};\n");
  EXPECT_EQ(config.find("Acquire::Check-Valid-Until"), "false");
  EXPECT_EQ(config.find("acquire::http::proxy"), "http://proxy:3128");  // names ignore case
  EXPECT_EQ(config.find("Acquire::http::Timeout"), "10");
  EXPECT_EQ(config.find("Acquire::Retries"), "3");
  EXPECT_EQ(config.find("APT::NeverAutoRemove"), std::nullopt);  // list items are not kept
  EXPECT_EQ(config.find("Retries"), std::nullopt);               // the block closed
  EXPECT_FALSE(config.find_bool("Acquire::Check-Valid-Until", true));
}

TEST(AptConfigTest, SkipsEveryKindOfCommentButNotQuotedText) {
  const auto config = parsed(
      "// a line comment\n"
      "# a shell comment\n"
      "/* a block\n   comment over lines; A::B \"no\"; */ A::C \"yes\"; // trailing\n"
      "A::D \"http://host/path#frag\"; # after\n"
      "A::E /* inline */ \"1\";\n");
  EXPECT_EQ(config.find("A::B"), std::nullopt);
  EXPECT_EQ(config.find("A::C"), "yes");
  EXPECT_EQ(config.find("A::D"), "http://host/path#frag");
  EXPECT_EQ(config.find("A::E"), "1");
}

TEST(AptConfigTest, ALaterSettingWinsAndClearForgetsATree) {
  auto config = parsed(
      "Acquire::Check-Valid-Until \"false\";\nAcquire { Check-Valid-Until \"true\"; };\n"
      "X::Y::Z \"1\";\nX::Keep \"1\";\n#clear X::Y;\n");
  EXPECT_TRUE(config.find_bool("Acquire::Check-Valid-Until", false));
  EXPECT_EQ(config.find("X::Y::Z"), std::nullopt);
  EXPECT_EQ(config.find("X::Keep"), "1");
}

TEST(AptConfigTest, ReadsAptBooleans) {
  for (const auto* no : {"false", "no", "0", "off", "disable", "without", "FALSE"}) {
    EXPECT_EQ(parse_apt_bool(no), false) << no;
  }
  for (const auto* yes : {"true", "yes", "1", "on", "enable", "with", "Yes"}) {
    EXPECT_EQ(parse_apt_bool(yes), true) << yes;
  }
  EXPECT_EQ(parse_apt_bool("maybe"), std::nullopt);
  const auto config = parsed("A \"maybe\";\nB \"\";\n");
  EXPECT_TRUE(config.find_bool("A", true));  // not a boolean: the fallback, as apt's FindB
  EXPECT_FALSE(config.find_bool("B", false));
  EXPECT_TRUE(config.find_bool("Missing", true));
}

TEST(AptConfigTest, SyntaxErrorsSayWhere) {
  EXPECT_NE(error_of([] {
              (void)parsed("A::B \"x\";\n{ C \"y\"; };\n");
            }).find("test.conf:2: a block starts with no name"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parsed("A::B \"x\" junk;\n");
            }).find("test.conf:1: extra text after the value"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parsed("A::B \"x\"\n");
            }).find("test.conf:1: 'A::B \"x\"' is not ended by ';'"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parsed("A {\n#clear B;\n};\n");
            }).find("test.conf:2: directives can only be at the top level"),
            std::string::npos);
  EXPECT_EQ(parsed("#frobnicate \"x\";\n").find("#frobnicate"), std::nullopt);  // a comment
}

TEST(AptConfigTest, ReadsADirectoryInAptsOrderSkippingWhatAptSkips) {
  sdk::TemporaryDirectory dir("gantry-apt-conf-");
  testing::write_file(dir.path() / "10first", "Test::Value \"10first\"; Test::A \"a\";\n");
  testing::write_file(dir.path() / "20second.conf", "Test::Value \"20second\";\n");
  testing::write_file(dir.path() / "05zero", "Test::Value \"05zero\"; Test::B \"b\";\n");
  for (const auto* skipped :
       {"99x.disabled", "99x.dpkg-old", "99x~", "99x.bak", ".99hidden", "99x.", "99 space"}) {
    testing::write_file(dir.path() / skipped, "Test::Value \"skipped\";\n");
  }
  AptConfig config;
  config.read_directory(dir.path());
  EXPECT_EQ(config.find("Test::Value"), "20second");
  EXPECT_EQ(config.find("Test::A"), "a");
  EXPECT_EQ(config.find("Test::B"), "b");
}

TEST(AptConfigTest, FollowsIncludes) {
  sdk::TemporaryDirectory dir("gantry-apt-conf-");
  testing::write_file(dir.path() / "extra", "Included::File \"yes\";\n");
  testing::write_file(dir.path() / "parts" / "a", "Included::Dir \"yes\";\n");
  const auto config = parsed("#include \"" + (dir.path() / "extra").string() + "\";\n#include \"" +
                             (dir.path() / "parts").string() + "/\";\n");
  EXPECT_EQ(config.find("Included::File"), "yes");
  EXPECT_EQ(config.find("Included::Dir"), "yes");
}

TEST(AptConfigTest, LoadsTheMachineConfigurationInAptsOrder) {
  sdk::TemporaryDirectory etc("gantry-etc-apt-");
  testing::write_file(etc.path() / "apt.conf.d" / "50check",
                      "Acquire::Check-Valid-Until \"false\";\nOrder::Parts \"50check\";\n");
  testing::write_file(etc.path() / "apt.conf.d" / "60later", "Order::Parts \"60later\";\n");
  testing::write_file(etc.path() / "apt.conf",
                      "Order::Main \"apt.conf\";\nOrder::Parts \"main\";\n");
  testing::write_file(etc.path() / "env.conf",
                      "Order::Env \"env\";\nOrder::Main \"env\";\nAcquire::Retries \"7\";\n");
  {
    ScopedEnv apt_config("APT_CONFIG", (etc.path() / "env.conf").string());
    const auto config = load_apt_config(etc.path());
    EXPECT_FALSE(config.find_bool("Acquire::Check-Valid-Until", true));
    EXPECT_EQ(config.find("Order::Parts"), "main");     // apt.conf after apt.conf.d
    EXPECT_EQ(config.find("Order::Main"), "apt.conf");  // both after $APT_CONFIG
    EXPECT_EQ(config.find("Acquire::Retries"), "7");
  }
  {
    // $APT_CONFIG may move the rest, as it does apt's.
    sdk::TemporaryDirectory other("gantry-other-apt-");
    testing::write_file(other.path() / "parts" / "01moved", "Moved \"yes\";\n");
    testing::write_file(etc.path() / "move.conf", "Dir::Etc \"" + other.path().string() +
                                                      "\";\nDir::Etc::parts \"parts\";\n");
    ScopedEnv apt_config("APT_CONFIG", (etc.path() / "move.conf").string());
    const auto config = load_apt_config(etc.path());
    EXPECT_EQ(config.find("Moved"), "yes");
    EXPECT_EQ(config.find("Order::Parts"), std::nullopt);
  }
}

TEST(AptConfigTest, TheConfigurationRootCanBeMovedForTests) {
  ScopedEnv root("GANTRY_APT_CONFIG_ROOT", "/some/where/apt");
  EXPECT_EQ(apt_etc_directory(), "/some/where/apt");
  ScopedEnv empty("GANTRY_APT_CONFIG_ROOT", "");
  EXPECT_EQ(apt_etc_directory(), "/etc/apt");
}

}  // namespace
}  // namespace gantry::deb
