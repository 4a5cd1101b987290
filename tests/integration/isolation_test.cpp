// `isolation: process`: the installed gantry runs plugin libraries in child processes
// (`gantry plugin-serve`), and survives what those processes do.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "command.hpp"
#include "eventually.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kGantry = std::filesystem::path(GANTRY_STAGE_DIR) / "bin" / "gantry";
const std::filesystem::path kPlugins = GANTRY_TEST_PLUGIN_DIR;

/// The processes whose command line has `plugin-serve` and `library`.
/// The parent of process `pid`, or 0 when it has gone.
pid_t parent_of(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto state = stat.rfind(") ");  // the name may hold anything; the state follows it
  if (state == std::string::npos) {
    return 0;
  }
  std::istringstream fields(stat.substr(state + 2));
  char code = 0;
  pid_t parent = 0;
  fields >> code >> parent;
  return parent;
}

/// The `plugin-serve` processes of `library` that `parent` started: only this test's, as
/// other tests run at the same time with the same plugins.
std::vector<pid_t> plugin_servers(const std::string& library, pid_t parent) {
  std::vector<pid_t> found;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    // read_file, not an istreambuf_iterator: a process that ends while it is read makes
    // the read fail (ESRCH), which the iterator throws and read_file does not.
    std::string cmdline = read_file(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find("plugin-serve") != std::string::npos &&
        cmdline.find(library) != std::string::npos && parent_of(std::stoi(name)) == parent) {
      found.push_back(std::stoi(name));
    }
  }
  return found;
}

/// The first `plugin-serve` process of `library` that `parent` starts, waited for up to
/// 20 s; 0 when none comes.
pid_t first_plugin_server(const std::string& library, pid_t parent) {
  std::vector<pid_t> servers;
  eventually(
      [&] {
        servers = plugin_servers(library, parent);
        return !servers.empty();
      },
      20s);
  return servers.empty() ? 0 : servers.front();
}

/// Whether `pid` is a running process (a zombie is not: it has ended, and waits for its new
/// parent to reap it).
bool running(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const auto state = stat.rfind(") ");
  return state != std::string::npos && state + 2 < stat.size() && stat[state + 2] != 'Z';
}

class IsolationTest : public ::testing::Test {
 protected:
  CommandSpec spec(std::vector<std::string> args) {
    args.insert(args.begin(), kGantry.string());
    const std::string path = (kPlugins / "crasher").string() + ":" +
                             (kPlugins / "sleeper").string() + ":" + (kPlugins / "noop").string();
    return {.argv = args,
            .env = {{"GANTRY_PLUGIN_PATH", path}},
            .unset_env = {"GANTRY_VERBOSITY"},
            .cwd = project_.path()};
  }
  CommandResult gantry(std::vector<std::string> args) { return run_command(spec(std::move(args))); }

  void write_pipeline(const std::string& text) {
    write_file(project_.path() / "gantry.yaml", text);
  }

  /// The Result of step `id` in the only run's event log.
  nlohmann::json result_of(const std::string& id) {
    for (const auto& run : std::filesystem::directory_iterator(project_.path() / ".gantry/runs")) {
      std::istringstream lines(read_file(run.path() / "events.jsonl"));
      for (std::string line; std::getline(lines, line);) {
        const auto event = nlohmann::json::parse(line);
        if (event.value("step", "") == id && event.value("event", "") == "result") {
          return event;
        }
      }
    }
    return {};
  }

  sdk::TemporaryDirectory project_{"gantry-isolation-"};
};

TEST_F(IsolationTest, ACrashingPluginFailsItsStepAloneAndNamesTheSignal) {
  write_pipeline(R"(name: crash
steps:
  crash:
    uses: crasher
    isolation: process
  independent:
    uses: sleeper
    isolation: process
    with:
      ms: 300
  dependent:
    uses: noop
    needs: crash
  in-host:
    uses: noop
)");
  const auto result = gantry({"--output", "plain", "run", "--keep-going", "-j", "3"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  const std::string library = (kPlugins / "crasher" / "test-crasher.so").string();
  EXPECT_NE(result.err.find("its step process (" + library +
                            ") was killed by signal 11 (SIGSEGV, Segmentation fault)"),
            std::string::npos)
      << result.err;
  // The plugin's last words reach the user.
  EXPECT_NE(result.err.find("crasher: about to segfault"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[independent] succeeded"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[in-host] succeeded"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[dependent] skipped: it needs 'crash', which failed"),
            std::string::npos)
      << result.err;
}

TEST_F(IsolationTest, AnAbortAndAnExitAreNamedWithTheirSignalOrCode) {
  // Running at once, the two steps have a process each: one crash fails one step.
  write_pipeline(R"(name: ends
steps:
  aborts:
    uses: crasher
    isolation: process
    with:
      how: abort
  exits:
    uses: crasher
    isolation: process
    with:
      how: exit
)");
  const auto result = gantry({"--output", "plain", "run", "--keep-going", "-j", "2"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("[aborts] failed in"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("was killed by signal 6 (SIGABRT, Aborted) during the run"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("[exits] error: crasher: about to exit"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("exited with code 3 during the run"), std::string::npos) << result.err;
}

TEST_F(IsolationTest, TheIsolationOptionRunsEveryStepOutsideTheHostAndReusesItsProcess) {
  write_pipeline(R"(name: pids
steps:
  first:
    uses: crasher
    with:
      how: ok
  second:
    uses: crasher
    needs: first
    with:
      how: ok
  in-host:
    uses: crasher
    isolation: in-process
    needs: second
    with:
      how: ok
)");
  BackgroundCommand run(spec({"--output", "plain", "run", "--isolation", "process"}));
  const auto result = run.wait();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string first = result_of("first")["outputs"]["pid"];
  const std::string second = result_of("second")["outputs"]["pid"];
  const std::string in_host = result_of("in-host")["outputs"]["pid"];
  EXPECT_EQ(in_host, std::to_string(run.pid()));
  EXPECT_NE(first, in_host);
  EXPECT_EQ(first, second) << "the idle process of the first step serves the second";
  EXPECT_TRUE(eventually([&] { return !running(std::stoi(first)); }, 1s))
      << "the process ends with the run";
}

TEST_F(IsolationTest, TheStepProcessDiesWithAHostKilledHard) {
  write_pipeline(R"(name: orphan
steps:
  slow:
    uses: sleeper
    isolation: process
    with:
      ms: 60000
)");
  BackgroundCommand run(spec({"--output", "plain", "run"}));
  const pid_t server = first_plugin_server("test-sleeper.so", run.pid());
  ASSERT_NE(server, 0) << "no plugin server started";
  run.signal(SIGKILL);
  run.wait();
  EXPECT_TRUE(eventually([&] { return !running(server); }, 1s))
      << "plugin-serve " << server << " outlived its host by more than a second";
}

TEST_F(IsolationTest, ACancelledStepEndsCancelledAndItsProcessStops) {
  write_pipeline(R"(name: cancel
steps:
  slow:
    uses: sleeper
    isolation: process
    with:
      ms: 60000
)");
  BackgroundCommand run(spec({"--output", "plain", "run"}));
  const pid_t server = first_plugin_server("test-sleeper.so", run.pid());
  ASSERT_NE(server, 0) << "no plugin server started";
  std::this_thread::sleep_for(300ms);  // into the run
  const auto started = std::chrono::steady_clock::now();
  run.signal(SIGINT);
  const auto result = run.wait();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_EQ(result_of("slow")["outcome"], "cancelled");
  EXPECT_TRUE(eventually([&] { return !running(server); }, 1s));
}

TEST_F(IsolationTest, AStepThatIgnoresCancellationIsStoppedAfterTheGracePeriod) {
  write_pipeline(R"(name: stubborn
steps:
  hang:
    uses: crasher
    isolation: process
    with:
      how: hang
)");
  BackgroundCommand run(spec({"--output", "plain", "run"}));
  const pid_t server = first_plugin_server("test-crasher.so", run.pid());
  ASSERT_NE(server, 0) << "no plugin server started";
  std::this_thread::sleep_for(500ms);
  const auto started = std::chrono::steady_clock::now();
  run.signal(SIGINT);
  const auto result = run.wait(30s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_TRUE(eventually([&] { return !running(server); }, 1s));
}

TEST_F(IsolationTest, AnUnknownIsolationIsRefusedWhereItIsWritten) {
  write_pipeline(R"(name: wrong
steps:
  a:
    uses: noop
    isolation: container
)");
  const auto result = gantry({"run"});
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("gantry.yaml:5:16: error: `isolation:` is `process` or `in-process`"),
            std::string::npos)
      << result.err;
}

TEST_F(IsolationTest, PluginServeRefusesWhatIsNotAPlugin) {
  const auto result =
      gantry({"plugin-serve", (kPlugins / "not-a-plugin" / "test-not-a-plugin.so").string()});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("not a gantry plugin"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "") << "no handshake for a library that was refused";
}

}  // namespace
}  // namespace gantry::testing
