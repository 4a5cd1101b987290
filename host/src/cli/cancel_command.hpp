#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "transport/remote_options.hpp"

namespace gantry::host {

/// `gantry cancel RUN_ID --remote ADDRESS`: cancels a run on a runner from anywhere that
/// may reach it, as Ctrl-C in the client that submitted it would.
class CancelCommand {
 public:
  explicit CancelCommand(CLI::App& app);

  [[nodiscard]] CLI::App* subcommand() const { return subcommand_; }
  /// The exit code: 0 when the run was cancelled or had already ended.
  [[nodiscard]] int run() const;

 private:
  CLI::App* subcommand_ = nullptr;
  std::string run_id_;
  RemoteOptions remote_;
  std::string token_file_;
};

}  // namespace gantry::host
