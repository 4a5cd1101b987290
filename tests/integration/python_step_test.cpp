// Steps in another language: examples/plugins/python-step's gantry-step-wc, a Python
// executable on Debian's python3-grpcio, and broken step executables, run by the
// installed gantry.
#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

const std::filesystem::path kGantry = std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry";
const std::filesystem::path kExample =
    std::filesystem::path(GANTRY_SOURCE_DIR) / "examples" / "plugins" / "python-step";

class PythonStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::copy_file(kExample / "gantry-step-wc", plugins_.path() / "gantry-step-wc");
    const auto generated = run_command(
        {.argv = {(kExample / "generate-stubs").string(), (plugins_.path() / "gen").string()}});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
  }

  CommandResult gantry(std::vector<std::string> args) {
    args.insert(args.begin(), kGantry.string());
    return run_command({.argv = args,
                        .env = {{"GANTRY_PLUGIN_PATH", plugins_.path().string()},
                                {"XDG_CACHE_HOME", (project_.path() / ".cache").string()}},
                        .unset_env = {"GANTRY_VERBOSITY"},
                        .cwd = project_.path()});
  }

  /// A step executable that is a shell script.
  void write_script(const std::string& name, const std::string& body) {
    const auto file = plugins_.path() / name;
    write_file(file, "#!/bin/sh\n" + body);
    std::filesystem::permissions(file, std::filesystem::perms::owner_all);
  }

  sdk::TemporaryDirectory plugins_{"gantry-python-plugins-"};
  sdk::TemporaryDirectory project_{"gantry-python-project-"};
};

TEST_F(PythonStepTest, IsListedAsAnExecutableStep) {
  const auto result = gantry({"plugins"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("wc            1.0.0    executable  Count the lines and words"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("from " + (plugins_.path() / "gantry-step-wc").string()),
            std::string::npos);
}

TEST_F(PythonStepTest, RunsInAPipelineAndItsOutputsFeedTheNextStep) {
  write_file(project_.path() / "poem.txt", "one two\nthree\nfour five six\n");
  write_file(project_.path() / "gantry.yaml", R"(name: count
steps:
  count:
    uses: wc
    with:
      path: poem.txt
  report:
    uses: exec
    with:
      command: echo
      args: ["${{ steps.count.outputs.lines }} lines, ${{ steps.count.outputs.words }} words"]
)");
  const auto result = gantry({"--output", "plain", "run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(
      result.err.find("[count] " + (project_.path() / "poem.txt").string() + ": 3 lines, 6 words"),
      std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("[report] 3 lines, 6 words"), std::string::npos) << result.err;
}

TEST_F(PythonStepTest, ItsFailureReachesTheUserWithItsResolution) {
  const auto result = gantry({"wc", "--path", "missing.txt"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("cannot read " + (project_.path() / "missing.txt").string() +
                            ": No such file or directory"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Recommended resolution: Check the path under `with:`."),
            std::string::npos);
}

TEST_F(PythonStepTest, RunByHandItSaysWhatItIs) {
  const auto result = run_command({.argv = {(plugins_.path() / "gantry-step-wc").string()},
                                   .unset_env = {"GANTRY_PLUGIN_MAGIC_COOKIE"}});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("This is a gantry step plugin, not a command"), std::string::npos);
}

TEST_F(PythonStepTest, AnExecutableNamedForAnotherStepIsRefused) {
  std::filesystem::copy_file(kExample / "gantry-step-wc", plugins_.path() / "gantry-step-count");
  const auto result = gantry({"plugins"});
  EXPECT_NE(result.err.find(
                "warning: plugin refused: " + (plugins_.path() / "gantry-step-count").string() +
                ": the file is named for step 'count' but describes step 'wc'"),
            std::string::npos)
      << result.err;
}

TEST_F(PythonStepTest, ExecutablesThatBreakTheHandshakeAreRefusedWithTheirOutput) {
  write_script("gantry-step-chatty", "echo 'hello, world'\nsleep 30\n");
  write_script("gantry-step-quitter", "echo 'no licence file' >&2\nexit 4\n");
  write_script("gantry-step-remote", "echo '1|1|tcp|192.0.2.1:4000|grpc'\nsleep 30\n");
  const auto result = gantry({"plugins"});
  EXPECT_EQ(result.exit_code, 0) << "the other steps are still listed";
  EXPECT_NE(result.err.find("gantry-step-chatty: its first line of output is not a gantry "
                            "handshake (CORE|PROTOCOL|NETWORK|ADDRESS|grpc): 'hello, world'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("gantry-step-quitter: its step process exited with code 4 before "
                            "it announced itself; its last output:\n    no licence file"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("gantry-step-remote: its handshake's address '192.0.2.1:4000' is "
                            "not a loopback address"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("wc "), std::string::npos);
}

}  // namespace
}  // namespace gantry::testing
