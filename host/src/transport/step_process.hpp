#pragma once

#include <grpcpp/channel.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gantry/sdk/child_process.hpp"
#include "transport/handshake.hpp"
#include "transport/step_process_command.hpp"

namespace gantry::host {

/// A running step process: started from the lasting launcher thread in its own process
/// group (killed with gantry by PR_SET_PDEATHSIG), announced by its handshake line, and
/// connected to over gRPC. Its standard error (and its standard output after the
/// handshake) is kept as a short tail for the message that reports its end.
class StepProcess {
 public:
  /// Starts `command` in a new private socket directory and waits up to `start_timeout`
  /// for its handshake. Throws PluginError naming the plugin when it cannot be started,
  /// ends before its handshake (with its exit status and last lines of output), does not
  /// announce itself in time, or announces something that is not a gantry handshake.
  /// Once asked to stop, it has `stop_grace` to end before its group is killed.
  static std::shared_ptr<StepProcess> start(const StepProcessCommand& command,
                                            std::chrono::milliseconds start_timeout,
                                            std::chrono::milliseconds stop_grace);
  ~StepProcess();
  StepProcess(const StepProcess&) = delete;
  StepProcess& operator=(const StepProcess&) = delete;

  [[nodiscard]] const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }

  /// Asks it to stop (SIGTERM to its group), kills the group once the grace period is
  /// over, and waits until it has ended. Safe to call more than once.
  void stop();
  /// How it ended, waiting up to `patience` for it to end; nothing while it still runs.
  [[nodiscard]] std::optional<sdk::ExitStatus> ended(std::chrono::milliseconds patience) const;
  /// The last lines it wrote on standard error (oldest first).
  [[nodiscard]] std::vector<std::string> output_tail() const;
  /// "exited with code 3", "was killed by signal 11 (SIGSEGV, Segmentation fault)".
  [[nodiscard]] static std::string describe_end(const sdk::ExitStatus& status);

 private:
  StepProcess() = default;
  void watch(std::chrono::milliseconds grace);
  void on_line(sdk::OutputStream stream, std::string_view line);

  std::unique_ptr<sdk::ChildProcess> child_;
  std::filesystem::path socket_dir_;
  std::shared_ptr<grpc::Channel> channel_;
  std::thread watcher_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool stop_requested_ = false;
  bool handshake_seen_ = false;
  std::optional<std::string> handshake_line_;
  std::optional<sdk::ExitStatus> status_;
  std::deque<std::string> tail_;
};

}  // namespace gantry::host
