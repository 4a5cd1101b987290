#include "plugins/step_registry.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/fake_context.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "plugins/in_process_endpoint.hpp"

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

namespace gantry::host {
namespace {

TEST(StepRegistryTest, ABrokenOrBadlyNamedPluginIsReportedAndTheOthersLoad) {
  const sdk::TemporaryDirectory dir;
  testing::write_file(dir.path() / "gantry-step-garbage.so", std::string("\x7f"
                                                                         "ELF\x02\x01",
                                                                         6));
  std::filesystem::copy_file(test_dir("bad-name") / "test-bad-name.so",
                             dir.path() / "gantry-step-bad-name.so");
  std::filesystem::copy_file(test_dir("noop") / "test-noop.so", dir.path() / "gantry-step-noop.so");
  StepRegistry registry;
  registry.load_plugins({{dir.path()}, {}});
  ASSERT_NE(registry.find("noop"), nullptr);
  EXPECT_EQ(registry.steps().size(), 1U);
  ASSERT_EQ(registry.problems().size(), 2U);
  EXPECT_TRUE(registry.problems()[0].starts_with((dir.path() / "gantry-step-bad-name.so").string() +
                                                 ": its step name 'Bad Name!'"))
      << registry.problems()[0];
  EXPECT_EQ(registry.problems()[1], (dir.path() / "gantry-step-garbage.so").string() +
                                        ": not a shared library (shorter than an ELF header)");
}

TEST(StepRegistryTest, CachedDescriptionsListStepsWithoutLoadingTheirLibraries) {
  const sdk::TemporaryDirectory dir;
  const DescriptionCache cache(dir.path() / "cache");
  const PluginSearchPath search{{test_dir("noop"), test_dir("sleeper")}, {}};
  {
    StepRegistry cold;
    cold.load_plugins(search, &cache);
    EXPECT_TRUE(dynamic_cast<const InProcessEndpoint*>(cold.find("noop"))->loaded());
  }
  StepRegistry warm;
  warm.load_plugins(search, &cache);
  const auto* noop = dynamic_cast<const InProcessEndpoint*>(warm.find("noop"));
  const auto* sleeper = dynamic_cast<const InProcessEndpoint*>(warm.find("sleeper"));
  ASSERT_NE(noop, nullptr);
  ASSERT_NE(sleeper, nullptr);
  EXPECT_FALSE(noop->loaded());
  EXPECT_FALSE(sleeper->loaded());
  EXPECT_EQ(noop->description().outputs(0).name(), "done");
  sdk::FakeContext sink;
  EXPECT_EQ(warm.find("noop")->run(v1::RunRequest(), sink).outcome(), v1::OUTCOME_OK);
  EXPECT_TRUE(noop->loaded());
  EXPECT_FALSE(sleeper->loaded()) << "running one step loads that plugin alone";
}

TEST(StepRegistryTest, ADescriptionIsCachedByPathSizeAndModificationTime) {
  const sdk::TemporaryDirectory dir;
  const DescriptionCache cache(dir.path() / "cache");
  const auto file = dir.path() / "plugins" / "gantry-step-noop.so";
  std::filesystem::create_directories(file.parent_path());
  std::filesystem::copy_file(test_dir("noop") / "test-noop.so", file);
  auto identity = identify(file);
  ASSERT_TRUE(identity);
  v1::StepDescription description;
  description.set_name("noop");
  cache.store(*identity, description);
  EXPECT_TRUE(cache.find(*identity));
  auto touched = *identity;
  touched.mtime_ns += 1;
  EXPECT_FALSE(cache.find(touched));
  auto resized = *identity;
  resized.size += 1;
  EXPECT_FALSE(cache.find(resized));
  auto moved = *identity;
  moved.path = dir.path() / "elsewhere.so";
  EXPECT_FALSE(cache.find(moved));
}

TEST(StepRegistryTest, LeavingOutUncachedLibrariesLoadsNone) {
  const sdk::TemporaryDirectory dir;
  const DescriptionCache cache(dir.path() / "cache");
  StepRegistry registry;
  registry.load_plugins({{test_dir("noop")}, {}}, &cache, StepRegistry::Uncached::kLeaveOut);
  EXPECT_TRUE(registry.steps().empty());
  EXPECT_EQ(registry.left_out(), 1U);
}

}  // namespace
}  // namespace gantry::host
