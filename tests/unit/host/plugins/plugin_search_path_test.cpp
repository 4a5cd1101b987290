#include "plugins/plugin_search_path.hpp"

#include <gtest/gtest.h>

namespace gantry::host {
namespace {

using Paths = std::vector<std::filesystem::path>;

TEST(PluginSearchPathTest, EnvironmentDirectoriesComeBeforeTheBundledOnes) {
  const auto search = plugin_search_path("/opt/a:/opt/b", "/usr/lib/gantry/plugins");
  EXPECT_EQ(search.directories, (Paths{"/opt/a", "/opt/b", "/usr/lib/gantry/plugins"}));
  EXPECT_TRUE(search.ignored.empty());
}

TEST(PluginSearchPathTest, NeverSearchesTheCurrentDirectory) {
  const auto search = plugin_search_path(":relative/dir::.:/opt/a", "/bundled");
  EXPECT_EQ(search.directories, (Paths{"/opt/a", "/bundled"}));
  ASSERT_EQ(search.ignored.size(), 4U);
  EXPECT_EQ(search.ignored[1],
            "relative entry 'relative/dir' in GANTRY_PLUGIN_PATH (give "
            "absolute directories)");
}

TEST(PluginSearchPathTest, WithoutTheVariableOnlyTheBundledDirectory) {
  EXPECT_EQ(plugin_search_path(std::nullopt, "/bundled").directories, (Paths{"/bundled"}));
}

}  // namespace
}  // namespace gantry::host
