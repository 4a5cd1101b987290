#include "ignore_rules.hpp"

#include <gtest/gtest.h>

namespace gantry::charm_pack {
namespace {

TEST(IgnoreRulesTest, CharmcraftsDefaultsLeaveOutVcsBuildAndVenv) {
  const auto rules = IgnoreRules::charmcraft_defaults();
  EXPECT_TRUE(rules.ignored(".git", true));
  EXPECT_TRUE(rules.ignored("src/.git", true));
  EXPECT_TRUE(rules.ignored("build", true));
  EXPECT_FALSE(rules.ignored("src/build", true));  // anchored at the root
  EXPECT_FALSE(rules.ignored("build", false));     // directories only
  EXPECT_TRUE(rules.ignored("venv", true));
  EXPECT_TRUE(rules.ignored(".jujuignore", false));
  EXPECT_FALSE(rules.ignored("src/charm.py", false));
}

TEST(IgnoreRulesTest, JujuignorePatternsFollowGitignoreRules) {
  IgnoreRules rules;
  rules.add_lines("# comment\n*.log\n/docs/\ntests/**/fixtures\n!keep.log\n");
  EXPECT_TRUE(rules.ignored("a.log", false));
  EXPECT_TRUE(rules.ignored("src/deep/b.log", false));
  EXPECT_FALSE(rules.ignored("keep.log", false));
  EXPECT_TRUE(rules.ignored("docs", true));
  EXPECT_FALSE(rules.ignored("src/docs", true));
  EXPECT_TRUE(rules.ignored("tests/unit/x/fixtures", true));
  EXPECT_TRUE(rules.ignored("tests/fixtures", true));
}

}  // namespace
}  // namespace gantry::charm_pack
