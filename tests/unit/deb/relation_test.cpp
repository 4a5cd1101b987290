#include "gantry/deb/relation.hpp"

#include <gtest/gtest.h>

#include "deb_error_text.hpp"

namespace gantry::deb {
namespace {

TEST(RelationTest, ParsesGroupsAlternativesVersionsAndQualifiers) {
  const auto groups = parse_relations(
      "libc6 (>= 2.34), python3:any (<< 3.12~) | python3.11:native, libfoo [amd64] <!nocheck>,"
      " bar (=1.0)",
      "test");
  ASSERT_EQ(groups.size(), 4U);
  EXPECT_EQ(groups[0][0].str(), "libc6 (>= 2.34)");
  ASSERT_EQ(groups[1].size(), 2U);
  EXPECT_EQ(groups[1][0].name, "python3");
  EXPECT_EQ(groups[1][0].arch_qualifier, "any");
  EXPECT_EQ(groups[1][0].op, VersionOp::kLess);
  EXPECT_EQ(groups[1][0].version, "3.12~");
  EXPECT_EQ(groups[1][1].arch_qualifier, "native");
  EXPECT_EQ(groups[2][0].str(), "libfoo");
  EXPECT_EQ(groups[3][0].op, VersionOp::kEqual);
  EXPECT_EQ(groups[3][0].version, "1.0");
}

TEST(RelationTest, ReadsObsoleteOperatorsAsDpkgDoes) {
  EXPECT_EQ(parse_relations("a (< 1)", "t")[0][0].op, VersionOp::kLessEqual);
  EXPECT_EQ(parse_relations("a (> 1)", "t")[0][0].op, VersionOp::kGreaterEqual);
}

TEST(RelationTest, ChecksVersions) {
  EXPECT_TRUE(version_satisfies("2.36-9", VersionOp::kGreaterEqual, "2.34"));
  EXPECT_FALSE(version_satisfies("3.12~rc1", VersionOp::kGreaterEqual, "3.12"));
  EXPECT_TRUE(version_satisfies("3.11", VersionOp::kLess, "3.12~"));
  EXPECT_TRUE(version_satisfies("1:1.0", VersionOp::kGreater, "9.9"));
  EXPECT_TRUE(version_satisfies("anything", VersionOp::kNone, ""));
}

TEST(RelationTest, RefusesMalformedRelationsNamingTheOrigin) {
  const auto message = testing::error_of([] { (void)parse_relations("libc6 (2.34)", "app=1.0"); });
  EXPECT_NE(message.find("app=1.0: cannot read the relation 'libc6 (2.34)'"), std::string::npos)
      << message;
  EXPECT_THROW((void)parse_relations("libc6 >= 2", "t"), DebError);
}

}  // namespace
}  // namespace gantry::deb
