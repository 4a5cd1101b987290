#include "pipeline/expression.hpp"

#include <gtest/gtest.h>

namespace gantry::host {
namespace {

TEST(ExpressionTest, FindsEveryOutputReferenceWithItsPlace) {
  const auto references =
      find_references("img=${{ steps.push.outputs.pinned }} v${{steps.pack.outputs.version}}");
  ASSERT_EQ(references.size(), 2U);
  EXPECT_EQ(references[0].step, "push");
  EXPECT_EQ(references[0].output, "pinned");
  EXPECT_EQ(references[0].offset, 4U);
  EXPECT_EQ(references[1].step, "pack");
  EXPECT_EQ(references[1].output, "version");
}

TEST(ExpressionTest, TextWithoutExpressionsHasNoReferences) {
  EXPECT_TRUE(find_references("plain $HOME and {{ braces }}").empty());
}

TEST(ExpressionTest, SubstitutesEachReference) {
  const auto text = substitute(
      "${{ steps.a.outputs.x }}-${{ steps.b.outputs.y }}!",
      [](const OutputReference& reference) { return reference.step + "." + reference.output; });
  EXPECT_EQ(text, "a.x-b.y!");
}

TEST(ExpressionTest, RefusesAnUnclosedExpression) {
  try {
    (void)find_references("abc ${{ steps.a.outputs.x");
    FAIL() << "expected an error";
  } catch (const ExpressionError& error) {
    EXPECT_STREQ(error.what(), "'${{' is never closed by '}}'");
    EXPECT_EQ(error.offset(), 4U);
  }
}

TEST(ExpressionTest, RefusesExpressionsThatAreNotOutputReferences) {
  EXPECT_THROW((void)find_references("${{ env.HOME }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ steps.a.outputs }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ steps.a.outputs.x.y }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ steps.1a.outputs.x }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ steps..outputs.x }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ steps.a.outputs. }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ steps.a b.outputs.x }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ }}"), ExpressionError);
  EXPECT_THROW((void)find_references("${{ xsteps.a.outputs.x }}"), ExpressionError);
}

TEST(ExpressionTest, AllowsBlanksAroundAReferenceAndDashesInNames) {
  const auto references = find_references("${{\t steps._build-2.outputs.out-1 \n}}");
  ASSERT_EQ(references.size(), 1U);
  EXPECT_EQ(references[0].step, "_build-2");
  EXPECT_EQ(references[0].output, "out-1");
}

}  // namespace
}  // namespace gantry::host
