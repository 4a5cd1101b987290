#include "gantry/sdk/value.hpp"

#include <gtest/gtest.h>

#include "gantry/sdk/error.hpp"

namespace gantry::sdk {
namespace {

TEST(ValueTest, ParsesEachTypeFromCommandLineText) {
  EXPECT_EQ(parse_value(v1::PARAM_TYPE_STRING, "a,b").string_value(), "a,b");
  EXPECT_EQ(parse_value(v1::PARAM_TYPE_INT, "-42").int_value(), -42);
  EXPECT_TRUE(parse_value(v1::PARAM_TYPE_BOOL, "true").bool_value());
  EXPECT_FALSE(parse_value(v1::PARAM_TYPE_BOOL, "false").bool_value());
  const auto list = parse_value(v1::PARAM_TYPE_LIST, "a,b,,c");
  ASSERT_EQ(list.list_value().items_size(), 4);
  EXPECT_EQ(list.list_value().items(2), "");
  const auto map = parse_value(v1::PARAM_TYPE_MAP, "A=1,B=x=y");
  EXPECT_EQ(map.map_value().entries().at("A"), "1");
  EXPECT_EQ(map.map_value().entries().at("B"), "x=y");
}

TEST(ValueTest, EmptyListTextIsAnEmptyList) {
  EXPECT_EQ(parse_value(v1::PARAM_TYPE_LIST, "").list_value().items_size(), 0);
}

TEST(ValueTest, RefusesTextOfTheWrongFormSayingWhatIsExpected) {
  try {
    (void)parse_value(v1::PARAM_TYPE_INT, "12abc");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "'12abc' is not a whole number");
    EXPECT_EQ(error.resolution(), "Give an integer such as 4.");
  }
  EXPECT_THROW((void)parse_value(v1::PARAM_TYPE_BOOL, "yes"), Error);
  EXPECT_THROW((void)parse_value(v1::PARAM_TYPE_MAP, "=1"), Error);
  EXPECT_THROW((void)parse_value(v1::PARAM_TYPE_MAP, "novalue"), Error);
}

TEST(ValueTest, DisplaysValuesAsTypedAndMasksSecrets) {
  EXPECT_EQ(display_value(map_value({{"b", "2"}, {"a", "1"}})), "a=1,b=2");
  EXPECT_EQ(display_value(list_value({"x", "y"})), "x,y");
  EXPECT_EQ(display_value(int_value(7)), "7");
  EXPECT_EQ(display_value(string_value("hunter2"), true), "****");
}

TEST(ValueTest, MatchesValuesToParameterTypes) {
  EXPECT_TRUE(value_matches(string_value("x"), v1::PARAM_TYPE_PATH));
  EXPECT_FALSE(value_matches(string_value("1"), v1::PARAM_TYPE_INT));
  EXPECT_TRUE(value_matches(list_value({}), v1::PARAM_TYPE_LIST));
  EXPECT_FALSE(value_matches(list_value({}), v1::PARAM_TYPE_MAP));
}

}  // namespace
}  // namespace gantry::sdk
