#include "gantry/sdk/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "gantry/sdk/error.hpp"

extern char** environ;  // NOLINT: POSIX declares it this way

namespace gantry::sdk {
namespace {

constexpr std::size_t kMaxLine = 64 * 1024;

void close_fd(int& fd) {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

/// Splits what a pipe delivers into lines; a line longer than kMaxLine is cut.
class LineSplitter {
 public:
  void feed(std::string_view bytes, OutputStream stream, const ChildProcess::LineHandler& sink) {
    for (const char c : bytes) {
      if (c == '\n') {
        flush(stream, sink);
      } else {
        pending_.push_back(c);
        if (pending_.size() >= kMaxLine) {
          flush(stream, sink);
        }
      }
    }
  }
  void finish(OutputStream stream, const ChildProcess::LineHandler& sink) {
    if (!pending_.empty()) {
      flush(stream, sink);
    }
  }

 private:
  void flush(OutputStream stream, const ChildProcess::LineHandler& sink) {
    if (!pending_.empty() && pending_.back() == '\r') {
      pending_.pop_back();
    }
    sink(stream, pending_);
    pending_.clear();
  }
  std::string pending_;
};

bool is_executable_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::filesystem::path resolve_executable(std::string_view command, std::string_view path_variable,
                                         const std::filesystem::path& workdir) {
  if (command.empty()) {
    throw Error("the command is empty", "Set `command:` to a program name or path.");
  }
  if (command.find('/') != std::string_view::npos) {
    std::filesystem::path candidate(command);
    if (candidate.is_relative()) {
      candidate = workdir / candidate;
    }
    if (!is_executable_file(candidate)) {
      throw Error("command '" + std::string(command) + "' is not an executable file",
                  "Check the path, and that the file has execute permission.");
    }
    return candidate;
  }
  std::size_t start = 0;
  while (start <= path_variable.size()) {
    auto colon = path_variable.find(':', start);
    if (colon == std::string_view::npos) {
      colon = path_variable.size();
    }
    const std::string_view dir = path_variable.substr(start, colon - start);
    // An empty PATH entry means the current directory to execvp; it is a classic way
    // to run a planted binary, so only absolute entries are searched.
    if (!dir.empty() && dir.front() == '/') {
      const auto candidate = std::filesystem::path(dir) / command;
      if (is_executable_file(candidate)) {
        return candidate;
      }
    }
    start = colon + 1;
  }
  throw Error("command '" + std::string(command) + "' was not found on PATH",
              "Install it, or give its full path in `command:`.");
}

ChildProcess::ChildProcess(const ChildSpec& spec) {
  std::array<int, 2> out{-1, -1};
  std::array<int, 2> err{-1, -1};
  std::array<int, 2> exec_error{-1, -1};
  if (::pipe2(out.data(), O_CLOEXEC) != 0 || ::pipe2(err.data(), O_CLOEXEC) != 0 ||
      ::pipe2(exec_error.data(), O_CLOEXEC) != 0) {
    const int saved = errno;
    for (int fd : {out[0], out[1], err[0], err[1], exec_error[0], exec_error[1]}) {
      close_fd(fd);
    }
    throw Error(std::string("cannot make pipes for the command: ") + std::strerror(saved));
  }

  // Everything the child needs is prepared before fork: after it, only
  // async-signal-safe calls are allowed (the host has threads).
  std::vector<char*> argv;
  for (const auto& arg : spec.argv) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& entry : spec.environment) {
    envp.push_back(const_cast<char*>(entry.c_str()));
  }
  envp.push_back(nullptr);
  const std::string executable = spec.executable.string();
  const std::string workdir = spec.workdir.string();
  const pid_t parent = ::getpid();

  pid_ = ::fork();
  if (pid_ < 0) {
    const int saved = errno;
    for (int fd : {out[0], out[1], err[0], err[1], exec_error[0], exec_error[1]}) {
      close_fd(fd);
    }
    throw Error(std::string("cannot start the command: ") + std::strerror(saved));
  }
  if (pid_ == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);
    }
    const int devnull = ::open("/dev/null", O_RDONLY);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    int failure = 0;
    if (!workdir.empty() && ::chdir(workdir.c_str()) != 0) {
      failure = errno;
    } else {
      ::execve(executable.c_str(), argv.data(), envp.data());
      failure = errno;
    }
    (void)!::write(exec_error[1], &failure, sizeof failure);
    ::_exit(127);
  }
  // Also in the parent, so that kill_group cannot race the child's own setpgid.
  ::setpgid(pid_, pid_);
  close_fd(out[1]);
  close_fd(err[1]);
  close_fd(exec_error[1]);
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];

  int failure = 0;
  ssize_t got = 0;
  do {
    got = ::read(exec_error[0], &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  close_fd(exec_error[0]);
  if (got == static_cast<ssize_t>(sizeof failure)) {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    close_fd(stdout_fd_);
    close_fd(stderr_fd_);
    throw Error("cannot run '" + executable + "' in " + workdir + ": " + std::strerror(failure),
                failure == ENOENT ? "Check that the working directory exists."
                                  : "Check the file's permissions and format.");
  }
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    kill_group(SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  close_fd(stdout_fd_);
  close_fd(stderr_fd_);
}

void ChildProcess::kill_group(int signal) const {
  if (pid_ > 0) {
    ::kill(-pid_, signal);
  }
}

ExitStatus ChildProcess::wait(const LineHandler& on_line, const StopRequested& stop_requested,
                              std::chrono::milliseconds grace) {
  using Clock = std::chrono::steady_clock;
  LineSplitter out_lines;
  LineSplitter err_lines;
  ExitStatus status;
  auto kill_at = Clock::time_point::max();
  std::array<char, 16384> buffer{};
  // Once a stop is requested: SIGTERM to the group now, SIGKILL when the grace is over.
  const auto enforce_stop = [&] {
    if (!status.stopped && stop_requested && stop_requested()) {
      status.stopped = true;
      kill_group(SIGTERM);
      kill_at = Clock::now() + grace;
    }
    if (Clock::now() >= kill_at) {
      kill_group(SIGKILL);
      kill_at = Clock::time_point::max();
    }
  };

  while (stdout_fd_ >= 0 || stderr_fd_ >= 0) {
    std::array<pollfd, 2> fds{{{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}}};
    const int ready = ::poll(fds.data(), fds.size(), 100);
    if (ready < 0 && errno != EINTR) {
      break;
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
        continue;
      }
      const auto stream = i == 0 ? OutputStream::kStdout : OutputStream::kStderr;
      auto& splitter = i == 0 ? out_lines : err_lines;
      auto& fd = i == 0 ? stdout_fd_ : stderr_fd_;
      const ssize_t got = ::read(fd, buffer.data(), buffer.size());
      if (got > 0) {
        splitter.feed({buffer.data(), static_cast<std::size_t>(got)}, stream, on_line);
      } else if (got == 0 || errno != EINTR) {
        splitter.finish(stream, on_line);
        close_fd(fd);
      }
    }
    enforce_stop();
  }

  // The pipes are closed; the child may still run (it closed them itself), so the
  // stop request and the grace period still apply while waiting for it.
  // Wait without reaping (WNOWAIT) so that the group id cannot be reused before the
  // last kill below, which takes whatever the command left running in its group.
  while (true) {
    siginfo_t info{};
    const int done = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    if ((done == 0 && info.si_pid == pid_) || (done < 0 && errno != EINTR)) {
      break;
    }
    enforce_stop();
    ::usleep(10'000);
  }
  kill_group(SIGKILL);
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (WIFEXITED(raw)) {
    status.exit_code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.signal = WTERMSIG(raw);
  }
  return status;
}

CapturedRun run_captured(const ChildSpec& spec, const ChildProcess::StopRequested& stop_requested,
                         const ChildProcess::LineHandler& on_line) {
  CapturedRun run;
  ChildProcess child(spec);
  run.status = child.wait(
      [&](OutputStream stream, std::string_view line) {
        auto& text = stream == OutputStream::kStdout ? run.out : run.err;
        text.append(line);
        text.push_back('\n');
        if (on_line) {
          on_line(stream, line);
        }
      },
      stop_requested);
  return run;
}

std::map<std::string, std::string> environment_map() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals != std::string_view::npos) {
      env[std::string(text.substr(0, equals))] = std::string(text.substr(equals + 1));
    }
  }
  return env;
}

std::vector<std::string> environment_strings(
    const std::map<std::string, std::string>& environment) {
  std::vector<std::string> strings;
  for (const auto& [name, value] : environment) {
    strings.push_back(name + "=" + value);
  }
  return strings;
}

}  // namespace gantry::sdk
