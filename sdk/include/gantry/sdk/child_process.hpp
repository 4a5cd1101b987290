#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::sdk {

/// What to start: a resolved executable, its argv (argv[0] included), its whole
/// environment as NAME=VALUE strings, and the directory it runs in.
struct ChildSpec {
  std::filesystem::path executable;
  std::vector<std::string> argv;
  std::vector<std::string> environment;
  std::filesystem::path workdir;
};

/// How a child ended.
struct ExitStatus {
  int exit_code = -1;    ///< the code it exited with, or -1 when a signal ended it
  int signal = 0;        ///< the signal that ended it, or 0
  bool stopped = false;  ///< true when wait() stopped it because it was asked to
};

enum class OutputStream { kStdout, kStderr };

/// A child process in its own process group, with stdin from /dev/null and stdout and
/// stderr read line by line. It is killed if the host dies (PR_SET_PDEATHSIG), and
/// killed and reaped, with its whole group, if this object goes before it has ended.
class ChildProcess {
 public:
  using LineHandler = std::function<void(OutputStream, std::string_view)>;
  using StopRequested = std::function<bool()>;

  /// Starts the child. Throws gantry::Error when it cannot be started (with exec's errno).
  explicit ChildProcess(const ChildSpec& spec);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Relays output until the child exits. Polls `stop_requested` about every 100 ms;
  /// once it is true, sends SIGTERM to the group and SIGKILL after `grace`.
  ExitStatus wait(const LineHandler& on_line, const StopRequested& stop_requested,
                  std::chrono::milliseconds grace = std::chrono::seconds(5));

  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  void kill_group(int signal) const;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  bool reaped_ = false;
};

/// What a finished child wrote, and how it ended.
struct CapturedRun {
  ExitStatus status;
  std::string out;
  std::string err;
};

/// Runs a child to completion, collecting its stdout and stderr (each line is also given
/// to `on_line`, when set). Stops it as ChildProcess::wait does.
CapturedRun run_captured(const ChildSpec& spec, const ChildProcess::StopRequested& stop_requested,
                         const ChildProcess::LineHandler& on_line = {});

/// This process's environment.
[[nodiscard]] std::map<std::string, std::string> environment_map();
/// An environment map as execve takes it: NAME=VALUE strings.
[[nodiscard]] std::vector<std::string> environment_strings(
    const std::map<std::string, std::string>& environment);

/// Finds `command` the way execvp would, on `path_variable` (a PATH value), relative to
/// `workdir` when the command contains a '/'. Throws gantry::Error when it is not there.
[[nodiscard]] std::filesystem::path resolve_executable(std::string_view command,
                                                       std::string_view path_variable,
                                                       const std::filesystem::path& workdir);

}  // namespace gantry::sdk
