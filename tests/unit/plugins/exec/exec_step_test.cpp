#include "exec_step.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "command.hpp"
#include "gantry/sdk/fake_context.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::exec {
namespace {

using sdk::FakeContext;
using sdk::list_value;
using sdk::map_value;
using sdk::string_value;

/// True when `pid` has ended: no such process, or a zombie waiting for its reaper.
bool gone(int pid) {
  for (int tries = 0; tries < 200; ++tries) {
    const std::string stat = testing::read_file("/proc/" + std::to_string(pid) + "/stat");
    const auto close = stat.rfind(')');
    if (stat.empty() || (close != std::string::npos && stat.substr(close + 2, 1) == "Z")) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

class ExecStepTest : public ::testing::Test {
 protected:
  v1::Result run_sh(const std::string& script) {
    fake_.set("command", string_value("sh")).set("args", list_value({"-c", script}));
    return fake_.run(step_);
  }

  std::vector<std::string> lines_from(v1::LogStream stream) const {
    std::vector<std::string> lines;
    for (const auto& event : fake_.events()) {
      if (event.has_log() && event.log().stream() == stream) {
        lines.push_back(event.log().message());
      }
    }
    return lines;
  }

  ExecStep step_;
  FakeContext fake_;
};

TEST_F(ExecStepTest, RelaysStdoutAndStderrLineByLine) {
  const auto result = run_sh("echo one; echo two >&2; printf 'three'");
  EXPECT_EQ(result.outcome(), v1::OUTCOME_OK) << result.message();
  EXPECT_EQ(lines_from(v1::LOG_STREAM_STDOUT), (std::vector<std::string>{"one", "three"}));
  EXPECT_EQ(lines_from(v1::LOG_STREAM_STDERR), (std::vector<std::string>{"two"}));
}

TEST_F(ExecStepTest, PassesArgumentsUnchangedWithoutAShell) {
  fake_.set("command", string_value("printf"))
      .set("args", list_value({"%s|", "a b", "$HOME", "*"}));
  EXPECT_EQ(fake_.run(step_).outcome(), v1::OUTCOME_OK);
  EXPECT_EQ(lines_from(v1::LOG_STREAM_STDOUT), (std::vector<std::string>{"a b|$HOME|*|"}));
}

TEST_F(ExecStepTest, FailsWithTheExitStatus) {
  const auto result = run_sh("exit 3");
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  EXPECT_EQ(result.message(), "command 'sh' exited with status 3");
}

TEST_F(ExecStepTest, ReportsTheSignalThatKilledTheCommand) {
  const auto result = run_sh("kill -KILL $$");
  EXPECT_EQ(result.message(), "command 'sh' was killed by signal 9 (Killed)");
}

TEST_F(ExecStepTest, AddsEnvironmentVariablesToTheInheritedOnes) {
  fake_.set("env", map_value({{"GREETING", "hi there"}}));
  EXPECT_EQ(run_sh("echo \"$GREETING\"; test -n \"$PATH\" && echo has-path").outcome(),
            v1::OUTCOME_OK);
  EXPECT_EQ(lines_from(v1::LOG_STREAM_STDOUT), (std::vector<std::string>{"hi there", "has-path"}));
}

TEST_F(ExecStepTest, RunsInTheWorkdirResolvedAgainstTheWorkingDirectory) {
  const sdk::TemporaryDirectory dir;
  std::filesystem::create_directory(dir.path() / "sub");
  fake_.working_directory(dir.path()).set("workdir", string_value("sub"));
  EXPECT_EQ(run_sh("pwd").outcome(), v1::OUTCOME_OK);
  EXPECT_EQ(lines_from(v1::LOG_STREAM_STDOUT),
            (std::vector<std::string>{(dir.path() / "sub").string()}));
}

TEST_F(ExecStepTest, SetsDeclaredOutputsFromTheOutputFile) {
  fake_.set("outputs", list_value({"tag", "notes"}));
  const auto result = run_sh(
      "echo tag=0.2 >> \"$GANTRY_OUTPUT\"; printf 'notes<<EOF\\na\\nb\\nEOF\\n' >> "
      "\"$GANTRY_OUTPUT\"; echo extra=1 >> \"$GANTRY_OUTPUT\"");
  ASSERT_EQ(result.outcome(), v1::OUTCOME_OK) << result.message();
  EXPECT_EQ(result.outputs().at("tag"), "0.2");
  EXPECT_EQ(result.outputs().at("notes"), "a\nb");
  EXPECT_FALSE(result.outputs().contains("extra"));
  const auto logs = fake_.log_messages();
  EXPECT_NE(std::find(logs.begin(), logs.end(),
                      "output 'extra' set by the command is ignored: it is not in `outputs:`"),
            logs.end());
}

TEST_F(ExecStepTest, ADeclaredOutputTheCommandDidNotSetFailsTheStep) {
  fake_.set("outputs", list_value({"digest"}));
  const auto result = run_sh("true");
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  EXPECT_EQ(result.message(), "command 'sh' did not set output 'digest'");
}

TEST_F(ExecStepTest, ACommandNotOnPathSaysHowToFixIt) {
  fake_.set("command", string_value("gantry-no-such-command"));
  const auto result = fake_.run(step_);
  EXPECT_EQ(result.message(), "command 'gantry-no-such-command' was not found on PATH");
  EXPECT_EQ(result.resolution(), "Install it, or give its full path in `command:`.");
}

TEST_F(ExecStepTest, CancellationKillsTheCommandAndEverythingItStarted) {
  const sdk::TemporaryDirectory dir;
  const auto pid_file = dir.path() / "grandchild.pid";
  std::thread canceller([&] {
    while (!std::filesystem::exists(pid_file)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    fake_.cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  // The grandchild ignores SIGTERM: only the group's SIGKILL after the grace ends it.
  const auto result =
      run_sh("sh -c 'trap \"\" TERM; echo $$ > " + pid_file.string() + ".tmp; mv " +
             pid_file.string() + ".tmp " + pid_file.string() + "; sleep 60' & wait");
  canceller.join();
  EXPECT_EQ(result.outcome(), v1::OUTCOME_CANCELLED);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  const int grandchild = std::stoi(testing::read_file(pid_file));
  EXPECT_TRUE(gone(grandchild)) << "pid " << grandchild << " still runs";
}

}  // namespace
}  // namespace gantry::exec
