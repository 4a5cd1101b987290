#include "gantry/deb/field_grammar.hpp"

#include <gtest/gtest.h>

namespace gantry::deb {
namespace {

TEST(FieldGrammarTest, AcceptsDebianPackageNamesOnly) {
  for (const auto* name :
       {"python3-flask", "libc6", "g++", "libstdc++6", "0ad", "ca-certificates", "r"}) {
    EXPECT_TRUE(is_package_name(name)) << name;
  }
  for (const auto* name : {"../../../../tmp/x", "", "Foo", "-x", "a/b", "a b", ".x", "x\n"}) {
    EXPECT_FALSE(is_package_name(name)) << name;
  }
}

TEST(FieldGrammarTest, AcceptsDebianVersionsOnly) {
  for (const auto* version : {"1.0", "1:3.11.2-1+b1", "2.1~rc1", "0.9-1ubuntu0.1", "10:1"}) {
    EXPECT_TRUE(is_package_version(version)) << version;
  }
  for (const auto* version : {"", "1.0/../x", "a:1", ":1", "1 0", "~1", "1:"}) {
    EXPECT_FALSE(is_package_version(version)) << version;
  }
}

TEST(FieldGrammarTest, AcceptsArchitecturesHexAndRelativeNamesOnly) {
  EXPECT_TRUE(is_architecture("amd64"));
  EXPECT_TRUE(is_architecture("musl-linux-arm64"));
  EXPECT_FALSE(is_architecture("../amd64"));
  EXPECT_FALSE(is_architecture("AMD64"));
  EXPECT_TRUE(is_lower_hex(std::string(64, 'a'), 64));
  EXPECT_FALSE(is_lower_hex(std::string(63, 'a'), 64));
  EXPECT_FALSE(
      is_lower_hex("../../../../../../../../../../../../../../../../../../../../../x", 64));
  EXPECT_TRUE(is_relative_file_name("pool/main/f/foo/foo_1.0_amd64.deb"));
  EXPECT_TRUE(is_relative_file_name("./foo..deb"));
  EXPECT_FALSE(is_relative_file_name("../../etc/shadow"));
  EXPECT_FALSE(is_relative_file_name("pool/../../x"));
  EXPECT_FALSE(is_relative_file_name("/etc/shadow"));
}

}  // namespace
}  // namespace gantry::deb
