#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::testing {

/// What a finished program left behind.
struct CommandResult {
  int exit_code = -1;  ///< -1 when a signal ended it
  std::string out;
  std::string err;
};

/// How to run a program: its arguments, extra environment, directory and time limit.
struct CommandSpec {
  std::vector<std::string> argv{};
  std::map<std::string, std::string> env{};  ///< added to (or replacing in) the inherited env
  std::vector<std::string> unset_env{};
  std::filesystem::path cwd{};
  std::chrono::seconds timeout{120};
};

/// Runs a program to completion, capturing stdout and stderr. A program that outlives
/// the timeout is killed, and the test fails.
CommandResult run_command(const CommandSpec& spec);

/// A program started in the background, for tests that signal it mid-run.
class BackgroundCommand {
 public:
  explicit BackgroundCommand(const CommandSpec& spec);
  ~BackgroundCommand();
  BackgroundCommand(const BackgroundCommand&) = delete;
  BackgroundCommand& operator=(const BackgroundCommand&) = delete;

  void signal(int signal) const;
  /// Waits until the program has written `text` to its stderr, e.g. the line saying a step
  /// started, so that a test signals it mid-step however slowly it starts (a sanitizer
  /// build, a loaded machine). False when `timeout` passes or the program ends first.
  [[nodiscard]] bool wait_for_stderr(std::string_view text, std::chrono::seconds timeout) const;
  /// Waits for the program to end (failing the test past `timeout`) and collects output.
  CommandResult wait(std::chrono::seconds timeout = std::chrono::seconds(60));
  [[nodiscard]] int pid() const { return pid_; }
  /// Where its standard output goes, to read while it runs.
  [[nodiscard]] const std::filesystem::path& out_file() const { return out_file_; }

 private:
  int pid_ = -1;
  std::filesystem::path out_file_;
  std::filesystem::path err_file_;
  bool finished_ = false;
};

/// The whole content of a file ("" when it is missing).
std::string read_file(const std::filesystem::path& file);
/// Writes `text` to `file`, making its directory.
void write_file(const std::filesystem::path& file, const std::string& text);

}  // namespace gantry::testing
