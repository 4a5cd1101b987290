#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::exec {

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

/// Finds `command` the way execvp would, on `path_variable` (a PATH value), relative to
/// `workdir` when the command contains a '/'. Throws gantry::Error when it is not there.
[[nodiscard]] std::filesystem::path resolve_executable(std::string_view command,
                                                       std::string_view path_variable,
                                                       const std::filesystem::path& workdir);

}  // namespace gantry::exec
