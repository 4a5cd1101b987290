#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <thread>

namespace gantry::rock_pack {

/// What `craftctl` does inside an override script, as craft-parts has it: `craftctl
/// default` runs the step's built-in action (here, in gantry, at that point of the
/// script), `craftctl set KEY=VALUE` records a value (version, summary, ...), `craftctl
/// get KEY` prints one. `craftctl` is a real executable on the script's PATH (so make
/// recipes, `sh -c` and Python reach it too) that sends one line to gantry's request FIFO
/// and reads the answer from a FIFO of its own, so concurrent calls never mix answers.
class CraftctlBridge {
 public:
  using DefaultAction = std::function<void()>;

  /// `values` holds what `get` answers and what `set` changes; it outlives the bridge.
  CraftctlBridge(const std::filesystem::path& dir, DefaultAction default_action,
                 std::map<std::string, std::string>& values);
  ~CraftctlBridge();
  CraftctlBridge(const CraftctlBridge&) = delete;
  CraftctlBridge& operator=(const CraftctlBridge&) = delete;

  /// What the script's environment needs: PATH with `craftctl` first, and the channel.
  void extend_environment(std::map<std::string, std::string>& environment) const;
  /// Rethrows what the default action threw, if it did.
  void rethrow_failure() const;

 private:
  void serve();
  void answer(const std::string& reply_path, const std::string& text) const;

  std::filesystem::path dir_;
  std::string request_path_;
  int request_fd_ = -1;
  DefaultAction default_action_;
  std::map<std::string, std::string>& values_;
  std::exception_ptr failure_;
  std::thread server_;
};

}  // namespace gantry::rock_pack
