// The installed gantry with a plugin directory that holds hostile or broken files, and
// what each command loads: `--version` and `--help` nothing, a one-step command only its
// own plugin once descriptions are cached.
#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

const std::filesystem::path kGantry = std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry";

std::filesystem::path test_plugin(const std::string& name) {
  return std::filesystem::path(GANTRY_TEST_PLUGIN_DIR) / name / ("test-" + name + ".so");
}

class PluginDirectoryTest : public ::testing::Test {
 protected:
  PluginDirectoryTest() { std::filesystem::create_directories(plugins()); }

  [[nodiscard]] std::filesystem::path plugins() const { return scratch_.path() / "plugins"; }

  void add_plugin(const std::string& name) {
    std::filesystem::copy_file(test_plugin(name), plugins() / ("gantry-step-" + name + ".so"));
  }

  /// gantry with the scratch plugin directory and description cache; `trace_loads` sets
  /// LD_DEBUG=files, so that stderr names every library the dynamic loader opens.
  CommandResult gantry(std::vector<std::string> args, bool trace_loads = false) {
    args.insert(args.begin(), kGantry.string());
    std::map<std::string, std::string> env{
        {"GANTRY_PLUGIN_PATH", plugins().string()},
        {"XDG_CACHE_HOME", (scratch_.path() / "cache").string()}};
    if (trace_loads) {
      env["LD_DEBUG"] = "files";
    }
    return run_command({.argv = args,
                        .env = std::move(env),
                        .unset_env = {"GANTRY_VERBOSITY"},
                        .cwd = scratch_.path()});
  }

  static bool loaded(const CommandResult& result, const std::string& file) {
    return result.err.find("file=" + file) != std::string::npos;
  }

  sdk::TemporaryDirectory scratch_{"gantry-plugin-dir-"};
};

TEST_F(PluginDirectoryTest, MalformedAndBadlyNamedPluginsAreReportedAndSkipped) {
  add_plugin("noop");
  add_plugin("bad-name");
  // An ELF header whose section table lies past the end of the file.
  const auto truncated = plugins() / "gantry-step-truncated.so";
  std::filesystem::copy_file(test_plugin("sleeper"), truncated);
  std::filesystem::resize_file(truncated, 4096);
  const auto version = gantry({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.out, "0.1.0\n");
  const auto listed = gantry({"plugins"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("noop"), std::string::npos) << listed.out;
  EXPECT_NE(listed.err.find("warning: plugin refused: " + truncated.string() +
                            ": not a shared library (the section header table lies outside "
                            "the file)"),
            std::string::npos)
      << listed.err;
  EXPECT_NE(listed.err.find("gantry-step-bad-name.so: its step name 'Bad Name!' is not"),
            std::string::npos)
      << listed.err;
  EXPECT_EQ(gantry({"noop"}).exit_code, 0);
}

TEST_F(PluginDirectoryTest, VersionAndHelpLoadNoPlugin) {
  add_plugin("noop");
  const auto version = gantry({"--version"}, true);
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_FALSE(loaded(version, (plugins() / "gantry-step-noop.so").string())) << version.err;
  const auto help = gantry({"--help"}, true);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_FALSE(loaded(help, (plugins() / "gantry-step-noop.so").string())) << help.err;
}

TEST_F(PluginDirectoryTest, AOneStepCommandLoadsOnlyItsPluginOnceDescriptionsAreCached) {
  add_plugin("noop");
  add_plugin("sleeper");
  const auto cold = gantry({"plugins"}, true);
  EXPECT_EQ(cold.exit_code, 0) << cold.err;
  EXPECT_TRUE(loaded(cold, (plugins() / "gantry-step-sleeper.so").string()));
  const auto listed = gantry({"plugins"}, true);
  EXPECT_NE(listed.out.find("sleeper"), std::string::npos) << listed.out;
  EXPECT_FALSE(loaded(listed, (plugins() / "gantry-step-noop.so").string()));
  EXPECT_FALSE(loaded(listed, (plugins() / "gantry-step-sleeper.so").string()));
  const auto ran = gantry({"noop"}, true);
  EXPECT_EQ(ran.exit_code, 0);
  EXPECT_TRUE(loaded(ran, (plugins() / "gantry-step-noop.so").string()));
  EXPECT_FALSE(loaded(ran, (plugins() / "gantry-step-sleeper.so").string()));
}

TEST_F(PluginDirectoryTest, APipelineFileThatIsADirectorySaysSo) {
  std::filesystem::create_directory(scratch_.path() / "pipeline");
  const auto result = gantry({"run", "pipeline"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("pipeline: error: the pipeline file is a directory"), std::string::npos)
      << result.err;
}

TEST_F(PluginDirectoryTest, JobsOutOfRangeIsAPlainUsageError) {
  const auto result = gantry({"run", "--jobs", "0"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_EQ(result.err.find("e+308"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("not in range 1 to 1024"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace gantry::testing
