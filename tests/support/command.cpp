#include "command.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "sanitizer_report.hpp"

extern char** environ;  // NOLINT: POSIX declares it this way

namespace gantry::testing {
namespace {

std::filesystem::path scratch_file(const char* tag) {
  static int counter = 0;
  return std::filesystem::temp_directory_path() /
         ("gantry-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + tag);
}

int spawn(const CommandSpec& spec, const std::filesystem::path& out,
          const std::filesystem::path& err) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text(*entry);
    const auto equals = text.find('=');
    env[text.substr(0, equals)] = text.substr(equals + 1);
  }
  for (const auto& name : spec.unset_env) {
    env.erase(name);
  }
  for (const auto& [name, value] : spec.env) {
    env[name] = value;
  }
  std::vector<std::string> env_strings;
  for (const auto& [name, value] : env) {
    env_strings.push_back(name + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& text : env_strings) {
    envp.push_back(text.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  const std::string cwd = spec.cwd.string();

  const pid_t pid = ::fork();
  if (pid == 0) {
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) {
      ::_exit(126);
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

CommandResult collect(int pid, std::chrono::seconds timeout, const std::filesystem::path& out,
                      const std::filesystem::path& err) {
  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "the command did not end within " << timeout.count() << " s";
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out);
  result.err = read_file(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  // A sanitizer report, or a crash, fails the test even when the test expected the program
  // to fail. Under the asan preset a report aborts the program; GCC's UBSan writes it to
  // stderr (it ignores log_path), ASan and LeakSanitizer to their log file.
  if (const auto report = sanitizer_report(pid); !report.empty()) {
    ADD_FAILURE() << "the program (pid " << pid << ") left a sanitizer report:\n" << report;
  } else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT) {
    ADD_FAILURE() << "the program (pid " << pid << ") aborted; its stderr:\n" << result.err;
  }
  return result;
}

}  // namespace

CommandResult run_command(const CommandSpec& spec) {
  const auto out = scratch_file(".out");
  const auto err = scratch_file(".err");
  return collect(spawn(spec, out, err), spec.timeout, out, err);
}

BackgroundCommand::BackgroundCommand(const CommandSpec& spec)
    : out_file_(scratch_file(".out")), err_file_(scratch_file(".err")) {
  pid_ = spawn(spec, out_file_, err_file_);
}

BackgroundCommand::~BackgroundCommand() {
  if (!finished_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void BackgroundCommand::signal(int signal) const { ::kill(pid_, signal); }

bool BackgroundCommand::wait_for_stderr(std::string_view text, std::chrono::seconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (read_file(err_file_).find(text) != std::string::npos) {
      return true;
    }
    // Still running? (waitid with WNOWAIT leaves it to wait() to reap.)
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_) {
      return read_file(err_file_).find(text) != std::string::npos;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

CommandResult BackgroundCommand::wait(std::chrono::seconds timeout) {
  finished_ = true;
  return collect(pid_, timeout, out_file_, err_file_);
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& file, const std::string& text) {
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path());
  }
  std::ofstream out(file, std::ios::binary);
  out << text;
}

}  // namespace gantry::testing
