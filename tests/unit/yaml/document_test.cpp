// load_document: one document from outside input, whatever yaml-cpp makes of it.
#include "gantry/yaml/document.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gantry::yaml {
namespace {

/// "LINE:COLUMN: MESSAGE" of the exception load_document throws, or "" when it loads.
std::string refusal(const std::string& text) {
  try {
    (void)load_document(text);
  } catch (const YAML::Exception& error) {
    return std::to_string(error.mark.line + 1) + ":" + std::to_string(error.mark.column + 1) +
           ": " + error.msg;
  }
  return "";
}

TEST(DocumentTest, AStrayCommaIsASyntaxErrorNotAnEndlessParse) {
  // yaml-cpp 0.7's LoadAll never returns on these, taking memory as it goes.
  EXPECT_EQ(refusal(","), "1:1: a ',' outside a [list] or {mapping}");
  EXPECT_EQ(refusal("- a\n- b\n,\n"), "3:1: a ',' outside a [list] or {mapping}");
  EXPECT_EQ(refusal(std::string(",nun9\0ul", 8)), "1:1: a ',' outside a [list] or {mapping}");
}

TEST(DocumentTest, ASecondDocumentIsRefusedAtItsStart) {
  EXPECT_EQ(refusal("a: 1\n---\nb: 2\n"),
            "3:1: a second YAML document: the file holds one document");
}

TEST(DocumentTest, CommasInsideFlowCollectionsAreData) {
  const auto root = load_document("a: [1, 2]\nb: {c: 3, d: 4}\n");
  EXPECT_EQ(root["a"].size(), 2U);
  EXPECT_EQ(root["b"]["d"].as<int>(), 4);
}

TEST(DocumentTest, EmptyTextIsANullDocument) { EXPECT_TRUE(load_document("").IsNull()); }

}  // namespace
}  // namespace gantry::yaml
