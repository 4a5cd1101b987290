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
/// get KEY` prints one. The script reaches gantry through two FIFOs in a private
/// directory; preamble() defines the `craftctl` shell function that talks to them.
class CraftctlBridge {
 public:
  using DefaultAction = std::function<void()>;

  /// `values` holds what `get` answers and what `set` changes; it outlives the bridge.
  CraftctlBridge(const std::filesystem::path& dir, DefaultAction default_action,
                 std::map<std::string, std::string>& values);
  ~CraftctlBridge();
  CraftctlBridge(const CraftctlBridge&) = delete;
  CraftctlBridge& operator=(const CraftctlBridge&) = delete;

  /// Bash that defines and exports `craftctl`, to run before the user's script.
  [[nodiscard]] std::string preamble() const;
  /// Rethrows what the default action threw, if it did.
  void rethrow_failure() const;

 private:
  void serve();
  std::string request_path_;
  std::string reply_path_;
  int request_fd_ = -1;
  int reply_fd_ = -1;
  DefaultAction default_action_;
  std::map<std::string, std::string>& values_;
  std::exception_ptr failure_;
  std::thread server_;
};

}  // namespace gantry::rock_pack
