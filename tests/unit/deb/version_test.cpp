#include "gantry/deb/version.hpp"

#include <gtest/gtest.h>

#include "command.hpp"

namespace gantry::deb {
namespace {

struct Case {
  const char* a;
  const char* b;
  int expected;  // sign of compare_versions(a, b)
};

const std::vector<Case> kCases{{"1.0", "1.0", 0},
                               {"1.0", "1.1", -1},
                               {"1.10", "1.9", 1},
                               {"1.0~rc1", "1.0", -1},
                               {"1.0~~", "1.0~", -1},
                               {"1.0~", "1.0", -1},
                               {"1.0", "1.0+b1", -1},
                               {"1.0a", "1.0", 1},
                               {"1.0a", "1.0+", -1},
                               {"1:0.9", "2.0", 1},
                               {"0:2.0", "2.0", 0},
                               {"1.0-1", "1.0-2", -1},
                               {"1.0-10", "1.0-9", 1},
                               {"001", "1", 0},
                               {"1.0.0", "1.0", 1},
                               {"2.36-9+deb12u4", "2.36-9+deb12u14", -1},
                               {"3.0.22-1~deb12u2", "3.0.22-1", -1},
                               {"1:1.2.13.dfsg-1", "1:1.2.13-1", 1},
                               {"7.88.1-10+deb12u5", "7.88.1-10", 1},
                               {"1.2-3-4", "1.2-3-5", -1},
                               {"2:1", "10:0", -1},
                               {"1.0-0ubuntu1", "1.0-0", 1}};

int sign(int value) { return (value > 0) - (value < 0); }

TEST(VersionTest, OrdersAsDebianPolicySays) {
  for (const auto& [a, b, expected] : kCases) {
    EXPECT_EQ(sign(compare_versions(a, b)), expected) << a << " vs " << b;
    EXPECT_EQ(sign(compare_versions(b, a)), -expected) << b << " vs " << a;
  }
}

TEST(VersionTest, AgreesWithDpkgItself) {
  for (const auto& [a, b, expected] : kCases) {
    const auto less = testing::run_command({.argv = {"dpkg", "--compare-versions", a, "lt", b}});
    const auto equal = testing::run_command({.argv = {"dpkg", "--compare-versions", a, "eq", b}});
    const int dpkg = less.exit_code == 0 ? -1 : (equal.exit_code == 0 ? 0 : 1);
    EXPECT_EQ(sign(compare_versions(a, b)), dpkg) << a << " vs " << b;
  }
}

TEST(VersionTest, TellsWellFormedVersions) {
  EXPECT_TRUE(is_valid_version("1:2.36-9+deb12u4"));
  EXPECT_TRUE(is_valid_version("1.0~rc1"));
  EXPECT_FALSE(is_valid_version(""));
  EXPECT_FALSE(is_valid_version("a1.0"));
  EXPECT_FALSE(is_valid_version("x:1.0"));
  EXPECT_FALSE(is_valid_version("1.0 beta"));
}

}  // namespace
}  // namespace gantry::deb
