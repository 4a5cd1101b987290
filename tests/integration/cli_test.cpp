// The installed gantry, run as a user runs it, on pipeline files in a scratch project.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

const std::filesystem::path kGantry = std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry";

std::string test_plugin_dir(const std::string& name) {
  return (std::filesystem::path(GANTRY_TEST_PLUGIN_DIR) / name).string();
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> objects;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    objects.push_back(nlohmann::json::parse(line));  // throws if a line is not one object
  }
  return objects;
}

class CliTest : public ::testing::Test {
 protected:
  CommandResult gantry(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), kGantry.string());
    return run_command({.argv = args,
                        .env = std::move(env),
                        .unset_env = {"GANTRY_PLUGIN_PATH", "GANTRY_VERBOSITY"},
                        .cwd = project_.path()});
  }

  std::filesystem::path write_pipeline(const std::string& text,
                                       const std::string& name = "gantry.yaml") {
    write_file(project_.path() / name, text);
    return project_.path() / name;
  }

  /// The events.jsonl of the only run in the project.
  std::vector<nlohmann::json> event_log() {
    const auto runs = project_.path() / ".gantry" / "runs";
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(runs)) {
      found.push_back(entry.path() / "events.jsonl");
    }
    EXPECT_EQ(found.size(), 1U);
    return found.empty() ? std::vector<nlohmann::json>{} : json_lines(read_file(found[0]));
  }

  sdk::TemporaryDirectory project_{"gantry-project-"};
};

TEST_F(CliTest, PluginsListsTheBundledExecStepWithItsFile) {
  const auto result = gantry({"plugins"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_search(
      result.out,
      std::regex(R"(\nexec +1\.0\.0 +in-process +Run a command and relay its output\n)")))
      << result.out;
  EXPECT_NE(result.out.find("lib/gantry/plugins/gantry-step-exec.so"), std::string::npos);
}

TEST_F(CliTest, DescribePrintsParametersAndJson) {
  const auto text = gantry({"describe", "exec"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("  --command <string>  required"), std::string::npos) << text.out;
  const auto json = gantry({"describe", "exec", "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["params"][0]["name"], "command");
  EXPECT_EQ(gantry({"describe", "nope"}).exit_code, 64);
}

TEST_F(CliTest, RunsAStepDirectlyAndPrintsItsOutputsOnStdout) {
  const auto result =
      gantry({"exec", "--command", "sh", "--args", "-c,echo hi; echo v=2 >> $GANTRY_OUTPUT",
              "--outputs", "v", "--output", "plain"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "v=2\n");
  EXPECT_NE(result.err.find("[exec] hi"), std::string::npos) << result.err;
}

TEST_F(CliTest, PipelineRunWritesItsEventLog) {
  write_pipeline(R"(steps:
  make:
    uses: exec
    with: {command: sh, args: ["-c", "echo n=7 >> $GANTRY_OUTPUT"], outputs: [n]}
  show:
    uses: exec
    with: {command: echo, args: ["n is ${{ steps.make.outputs.n }}"]}
)");
  const auto result = gantry({"run"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto events = event_log();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front()["event"], "run-started");
  EXPECT_EQ(events.back()["event"], "run-finished");
  EXPECT_EQ(events.back()["succeeded"], true);
  bool saw = false;
  for (const auto& event : events) {
    saw = saw || (event["event"] == "log" && event["message"] == "n is 7");
  }
  EXPECT_TRUE(saw);
}

TEST_F(CliTest, IndependentStepsOverlapWithTwoJobs) {
  write_pipeline(R"(steps:
  one: {uses: exec, with: {command: sleep, args: ["1"]}}
  two: {uses: exec, with: {command: sleep, args: ["1"]}}
)");
  const auto result = gantry({"run", "--jobs", "2", "--output", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> order;
  for (const auto& event : json_lines(result.out)) {
    if (event["event"] == "step-started" || event["event"] == "step-finished") {
      order.push_back(event["event"].get<std::string>() + " " + event["step"].get<std::string>());
    }
  }
  ASSERT_EQ(order.size(), 4U);
  EXPECT_EQ(order[0].substr(0, 12), "step-started");
  EXPECT_EQ(order[1].substr(0, 12), "step-started") << "both start before either ends";
}

TEST_F(CliTest, ConfigurationMistakesExit64WithPositionsBeforeAnythingRuns) {
  write_pipeline(R"(steps:
  a:
    uses: exec
    with: {command: touch, args: [ran]}
  b:
    uses: exec
    with: {comand: echo}
)");
  const auto result = gantry({"run"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("gantry.yaml:5:3: error: step 'b' (exec) needs parameter 'command'"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("gantry.yaml:7:12: error: step 'b' (exec) has no parameter 'comand'"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(project_.path() / "ran"));
}

TEST_F(CliTest, AFailingStepExits1SkipsDependentsAndPointsAtTheLog) {
  write_pipeline(R"(steps:
  build: {uses: exec, with: {command: sh, args: ["-c", "echo compiling; exit 2"]}}
  ship: {uses: exec, needs: build, with: {command: touch, args: [shipped]}}
)");
  const auto result = gantry({"run", "--output", "plain"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("error: step 'build' (exec) failed: command 'sh' exited with status 2"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Recommended resolution: See its output above."), std::string::npos);
  EXPECT_NE(result.err.find("[ship] skipped: it needs 'build', which failed"), std::string::npos);
  EXPECT_NE(result.err.find("Full execution log: '" + project_.path().string() + "/.gantry/runs/"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(project_.path() / "shipped"));
}

TEST_F(CliTest, AFullDiskLeavesTheLogIncompleteAndTheRunSaysSoAtItsEnd) {
  write_pipeline(R"(steps:
  build: {uses: exec, with: {command: sh, args: ["-c", "seq 1 3000; exit 2"]}}
)");
  // Files stop growing at 4 KiB, as on a full disk: writes past it fail with EFBIG. Quiet,
  // so that stderr (a file too) stays below it.
  const auto result = run_command(
      {.argv = {"bash", "-c", "trap '' XFSZ; ulimit -f 4; exec \"$0\" -q run --output plain",
                kGantry.string()},
       .unset_env = {"GANTRY_PLUGIN_PATH", "GANTRY_VERBOSITY"},
       .cwd = project_.path()});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("error: step 'build' (exec) failed: command 'sh' exited with status 2"),
            std::string::npos)
      << result.err;
  const std::string warning =
      "/events.jsonl is incomplete: File too large\n"
      "Recommended resolution: Free some disk space, or write elsewhere.\n";
  const auto said = result.err.find(warning);
  ASSERT_NE(said, std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(warning, said + 1), std::string::npos) << "said once";
  EXPECT_NE(result.err.find("/events.jsonl' (incomplete: File too large)"), std::string::npos)
      << result.err;
  EXPECT_EQ(result.err.find("LOG ERROR"), std::string::npos) << result.err;
}

TEST_F(CliTest, InterruptCancelsRunningStepsAndExits130) {
  write_pipeline(R"(steps:
  wait:
    uses: exec
    with: {command: sh, args: ["-c", "echo $$ > pid; exec sleep 60"]}
)");
  BackgroundCommand run({.argv = {kGantry.string(), "run", "--output", "plain"},
                         .env = {},
                         .unset_env = {"GANTRY_PLUGIN_PATH"},
                         .cwd = project_.path()});
  const auto pid_file = project_.path() / "pid";
  for (int i = 0; i < 1000 && read_file(pid_file).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(read_file(pid_file).empty());
  run.signal(SIGINT);
  const auto result = run.wait(std::chrono::seconds(20));
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(result.err.find("[wait] cancelled after"), std::string::npos) << result.err;
  const int sleeper = std::stoi(read_file(pid_file));
  EXPECT_NE(::kill(sleeper, 0), 0) << "the step's command outlived the run";
}

TEST_F(CliTest, AWrongAbiPluginIsRefusedWithItsFileNamed) {
  const auto result = gantry({"plugins"}, {{"GANTRY_PLUGIN_PATH", test_plugin_dir("wrong-abi")}});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.err.find("warning: plugin refused: " + test_plugin_dir("wrong-abi") +
                            "/test-wrong-abi.so: plugin ABI version 99, but this gantry loads "
                            "ABI version 1"),
            std::string::npos)
      << result.err;
  // Refused from the file: gantry never loaded it, so its static constructor never ran.
  EXPECT_EQ(result.err.find("static constructor ran"), std::string::npos) << result.err;
}

TEST_F(CliTest, ADuplicateStepNameIsRefusedAndTheFirstOnThePathWins) {
  const auto result = gantry(
      {"plugins"},
      {{"GANTRY_PLUGIN_PATH", test_plugin_dir("noop-again") + ":" + test_plugin_dir("noop")}});
  EXPECT_NE(result.out.find("from " + test_plugin_dir("noop-again") + "/test-noop-again.so"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.err.find(test_plugin_dir("noop") +
                            "/test-noop.so: step 'noop' is already provided by"),
            std::string::npos)
      << result.err;
}

TEST_F(CliTest, RelativePluginPathEntriesAreIgnoredWithAWarning) {
  std::filesystem::copy(test_plugin_dir("noop"), project_.path() / "plugins");
  const auto result = gantry({"plugins"}, {{"GANTRY_PLUGIN_PATH", "plugins"}});
  EXPECT_EQ(result.out.find("noop"), std::string::npos) << "loaded from the current directory";
  EXPECT_NE(result.err.find("warning: ignored relative entry 'plugins'"), std::string::npos);
}

TEST_F(CliTest, TheOutOfTreeExamplePluginRunsInAPipeline) {
  write_pipeline(R"(steps:
  greet:
    uses: hello
    with: {name: world, shout: true}
  echo:
    uses: exec
    with: {command: echo, args: ["${{ steps.greet.outputs.message }}"]}
)");
  const auto result =
      gantry({"run", "--output", "plain"}, {{"GANTRY_PLUGIN_PATH", GANTRY_HELLO_STEP_DIR}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("[echo] HELLO, WORLD!"), std::string::npos) << result.err;
}

TEST_F(CliTest, UsageMistakesExit64) {
  EXPECT_EQ(gantry({"run", "--jobs", "0"}).exit_code, 64);
  EXPECT_EQ(gantry({"frobnicate"}).exit_code, 64);
  const auto missing = gantry({"exec"});
  EXPECT_EQ(missing.exit_code, 64);
  EXPECT_NE(missing.err.find("error: step 'exec' needs parameter 'command'"), std::string::npos);
  // No gantry.yaml and no 12-factor project to run the default pipeline on.
  const auto no_file = gantry({"run"});
  EXPECT_EQ(no_file.exit_code, 64);
  EXPECT_NE(no_file.err.find("error: no gantry.yaml, rockcraft.yaml or charmcraft.yaml in"),
            std::string::npos)
      << no_file.err;
  const auto named = gantry({"run", "missing.yaml"});
  EXPECT_EQ(named.exit_code, 64);
  EXPECT_NE(named.err.find("error: no pipeline file missing.yaml in"), std::string::npos);
}

TEST_F(CliTest, VerbosityOptionWorksAfterTheSubcommand) {
  const auto quiet =
      gantry({"exec", "--command", "echo", "--args", "hi", "--output", "plain", "-q"});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("hi"), std::string::npos) << quiet.err;
  const auto bad = gantry({"plugins", "--verbosity", "loud"});
  EXPECT_EQ(bad.exit_code, 64);
}

TEST_F(CliTest, JsonOutputIsOneObjectPerLineOnStdout) {
  const auto result = gantry({"exec", "--command", "echo", "--args", "hi", "--output", "json"});
  ASSERT_EQ(result.exit_code, 0);
  const auto events = json_lines(result.out);
  ASSERT_GE(events.size(), 4U);
  EXPECT_EQ(events[0]["event"], "run-started");
  for (const auto& event : events) {
    EXPECT_TRUE(event.contains("time"));
    EXPECT_TRUE(event.contains("run"));
  }
}

}  // namespace
}  // namespace gantry::testing
