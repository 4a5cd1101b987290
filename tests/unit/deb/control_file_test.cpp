#include "gantry/deb/control_file.hpp"

#include <gtest/gtest.h>

#include "deb_error_text.hpp"

namespace gantry::deb {
namespace {

TEST(ControlFileTest, SplitsParagraphsWithContinuationsAndComments) {
  const std::string text =
      "# a comment\nPackage: a\nDescription: short\n long line\n .\n more\n\n\n"
      "package: b\nVersion: 1\n";
  const auto paragraphs = parse_control(text, "Packages");
  ASSERT_EQ(paragraphs.size(), 2U);
  EXPECT_EQ(paragraphs[0].get("Package"), "a");
  EXPECT_EQ(paragraphs[0].line(), 2U);
  EXPECT_EQ(value_lines(paragraphs[0].get("Description")).size(), 4U);
  EXPECT_EQ(paragraphs[1].get("Package"), "b");  // field names ignore case
  EXPECT_EQ(paragraphs[1].line(), 9U);
  EXPECT_EQ(paragraphs[1].field("Version")->line, 10U);
  EXPECT_FALSE(paragraphs[1].find("Depends"));
}

TEST(ControlFileTest, NamesTheLineOfABadField) {
  const auto message =
      testing::error_of([] { (void)parse_control("Package: a\nnot a field\n", "status"); });
  EXPECT_NE(message.find("status:2: 'not a field' is not a 'Name: value'"), std::string::npos)
      << message;
  EXPECT_THROW((void)parse_control(" continuation first\n", "x"), DebError);
}

}  // namespace
}  // namespace gantry::deb
