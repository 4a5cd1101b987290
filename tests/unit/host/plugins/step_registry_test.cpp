#include "plugins/step_registry.hpp"

#include <gtest/gtest.h>

namespace gantry::host {
namespace {

std::filesystem::path test_dir(const std::string& name) {
  return std::filesystem::path(GANTRY_TEST_PLUGIN_DIR) / name;
}

TEST(StepRegistryTest, LoadsEveryPluginOnThePathAndRecordsTheRefused) {
  StepRegistry registry;
  registry.load_plugins(
      {{test_dir("noop"), test_dir("wrong-abi"), test_dir("throwing"), "/nonexistent/dir"}, {}});
  ASSERT_NE(registry.find("noop"), nullptr);
  ASSERT_NE(registry.find("throwing"), nullptr);
  EXPECT_EQ(registry.find("wrong-abi"), nullptr);
  ASSERT_EQ(registry.problems().size(), 1U);
  EXPECT_NE(registry.problems()[0].find("test-wrong-abi.so: plugin ABI version 99"),
            std::string::npos);
  EXPECT_EQ(registry.steps().size(), 2U);
}

TEST(StepRegistryTest, TheFirstPluginForANameWinsAndTheSecondIsRefusedNamingBoth) {
  StepRegistry registry;
  registry.load_plugins({{test_dir("noop"), test_dir("noop-again")}, {}});
  EXPECT_EQ(registry.find("noop")->origin(), (test_dir("noop") / "test-noop.so").string());
  ASSERT_EQ(registry.problems().size(), 1U);
  EXPECT_EQ(registry.problems()[0], (test_dir("noop-again") / "test-noop-again.so").string() +
                                        ": step 'noop' is already provided by " +
                                        (test_dir("noop") / "test-noop.so").string() +
                                        "; this library was not loaded");
}

TEST(StepRegistryTest, FindsTheBundledExecStep) {
  StepRegistry registry;
  registry.load_plugins({{GANTRY_BUNDLED_PLUGIN_DIR}, {}});
  ASSERT_NE(registry.find("exec"), nullptr);
  EXPECT_TRUE(registry.problems().empty());
}

}  // namespace
}  // namespace gantry::host
