#include "output_file.hpp"

#include <gtest/gtest.h>

#include "gantry/sdk/error.hpp"

namespace gantry::exec {
namespace {

using Outputs = std::map<std::string, std::string>;

TEST(OutputFileTest, ReadsNameValueLinesAndLaterValuesWin) {
  EXPECT_EQ(parse_outputs("a=1\nb=x=y\n\na=2\r\n", "out"), (Outputs{{"a", "2"}, {"b", "x=y"}}));
}

TEST(OutputFileTest, ReadsMultiLineValuesBetweenDelimiters) {
  EXPECT_EQ(parse_outputs("notes<<EOF\nline one\n\nline=three\nEOF\nafter=1\n", "out"),
            (Outputs{{"notes", "line one\n\nline=three"}, {"after", "1"}}));
}

TEST(OutputFileTest, MalformedLinesNameTheFileAndLine) {
  try {
    (void)parse_outputs("ok=1\njust text\n", "$GANTRY_OUTPUT");
    FAIL() << "expected an error";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.position().to_string(), "$GANTRY_OUTPUT:2");
    EXPECT_STREQ(error.what(), "malformed output line 'just text'");
  }
  EXPECT_THROW((void)parse_outputs("x<<END\nnever closed\n", "f"), ConfigError);
}

TEST(OutputFileTest, AMissingFileMeansNoOutputs) {
  EXPECT_TRUE(read_outputs("/nonexistent/output").empty());
}

}  // namespace
}  // namespace gantry::exec
