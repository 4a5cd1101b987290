#include "transport/step_process.hpp"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "gantry/sdk/description.hpp"
#include "plugins/plugin_error.hpp"
#include "transport/lasting_launcher.hpp"

namespace gantry::host {
namespace {

constexpr std::size_t kTailLines = 20;
constexpr std::size_t kTailLineBytes = 1000;
/// Largest message a step process may send: a RunEvent is small; a description with
/// long help texts is the largest there is.
constexpr int kMaxMessageBytes = 16 << 20;

/// A new private directory for the process's socket: TMPDIR when the socket path fits in
/// sun_path (108 bytes), /tmp otherwise.
std::filesystem::path make_socket_dir() {
  std::string base = "/tmp";
  if (const char* tmpdir = std::getenv("TMPDIR");
      tmpdir != nullptr && tmpdir[0] == '/' && std::strlen(tmpdir) < 60) {
    base = tmpdir;
  }
  std::string pattern = base + "/gantry-step-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error("cannot make a socket directory under " + base + ": " + std::strerror(errno),
                "Check that " + base + " exists and is writable.");
  }
  return pattern;
}

std::vector<std::string> child_environment(const std::filesystem::path& socket_dir) {
  auto environment = sdk::environment_map();
  environment[kMagicCookieName] = kMagicCookieValue;
  environment[kSocketDirName] = socket_dir.string();
  environment[kProtocolVersionsName] = std::to_string(sdk::kProtocolVersion);
  return sdk::environment_strings(environment);
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += "\n    " + line;
  }
  return text;
}

}  // namespace

std::shared_ptr<StepProcess> StepProcess::start(const StepProcessCommand& command,
                                                std::chrono::milliseconds start_timeout,
                                                std::chrono::milliseconds stop_grace) {
  std::shared_ptr<StepProcess> process(new StepProcess);
  process->socket_dir_ = make_socket_dir();
  try {
    process->child_ = launch_lasting_child(
        {command.executable, command.argv, child_environment(process->socket_dir_), {}});
  } catch (const Error& error) {
    std::filesystem::remove_all(process->socket_dir_);
    throw PluginError(command.plugin,
                      std::string("cannot start its step process: ") + error.what());
  }
  process->watcher_ = std::thread([raw = process.get(), stop_grace] { raw->watch(stop_grace); });

  std::unique_lock lock(process->mutex_);
  const bool announced = process->changed_.wait_for(lock, start_timeout, [&] {
    return process->handshake_line_.has_value() || process->status_.has_value();
  });
  if (!process->handshake_line_) {
    const auto status = process->status_;
    lock.unlock();
    if (!announced) {
      process->stop();
    }
    const auto tail = process->output_tail();
    const std::string ended =
        status ? "its step process " + describe_end(*status) + " before it announced itself"
               : "its step process did not announce itself within " +
                     std::to_string(start_timeout.count() / 1000) + " s";
    throw PluginError(command.plugin,
                      ended + (tail.empty() ? std::string() : "; its last output:" + joined(tail)),
                      "Run the plugin's own tests; a step executable prints its handshake "
                      "line first on standard output (docs/protocol.md).");
  }
  const std::string line = *process->handshake_line_;
  lock.unlock();
  Handshake handshake;
  try {
    handshake = parse_handshake(line);
  } catch (const Error& error) {
    process->stop();
    throw PluginError(command.plugin, error.what(), error.resolution());
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(kMaxMessageBytes);
  arguments.SetMaxSendMessageSize(kMaxMessageBytes);
  process->channel_ =
      grpc::CreateCustomChannel(handshake.target(), grpc::InsecureChannelCredentials(), arguments);
  return process;
}

StepProcess::~StepProcess() {
  // Closed first: a server shutting down gracefully waits for its clients to go.
  channel_.reset();
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(socket_dir_, ignored);
}

void StepProcess::watch(std::chrono::milliseconds grace) {
  const auto status = child_->wait(
      [this](sdk::OutputStream stream, std::string_view line) { on_line(stream, line); },
      [this] {
        const std::lock_guard lock(mutex_);
        return stop_requested_;
      },
      grace);
  const std::lock_guard lock(mutex_);
  status_ = status;
  changed_.notify_all();
}

void StepProcess::on_line(sdk::OutputStream stream, std::string_view line) {
  const std::lock_guard lock(mutex_);
  if (stream == sdk::OutputStream::kStdout && !handshake_seen_) {
    handshake_seen_ = true;
    handshake_line_ = std::string(line.substr(0, 4096));
    changed_.notify_all();
    return;
  }
  tail_.emplace_back(line.substr(0, kTailLineBytes));
  if (tail_.size() > kTailLines) {
    tail_.pop_front();
  }
}

void StepProcess::stop() {
  {
    const std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  if (watcher_.joinable()) {
    watcher_.join();
  }
}

std::optional<sdk::ExitStatus> StepProcess::ended(std::chrono::milliseconds patience) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, patience, [this] { return status_.has_value(); });
  return status_;
}

std::vector<std::string> StepProcess::output_tail() const {
  const std::lock_guard lock(mutex_);
  return {tail_.begin(), tail_.end()};
}

std::string StepProcess::describe_end(const sdk::ExitStatus& status) {
  if (status.signal != 0) {
    const char* abbreviation = ::sigabbrev_np(status.signal);
    return "was killed by signal " + std::to_string(status.signal) + " (" +
           (abbreviation != nullptr ? "SIG" + std::string(abbreviation) + ", " : std::string()) +
           ::strsignal(status.signal) + ")";
  }
  return "exited with code " + std::to_string(status.exit_code);
}

}  // namespace gantry::host
