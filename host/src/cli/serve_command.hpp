#pragma once

#include <CLI/CLI.hpp>

#include "plugins/step_registry.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

/// `gantry serve --listen ADDRESS`: a runner for `gantry run --remote` (docs/protocol.md,
/// "Runners"), with this host's steps.
class ServeCommand {
 public:
  explicit ServeCommand(CLI::App& app);

  [[nodiscard]] CLI::App* subcommand() const { return subcommand_; }
  /// Serves until SIGINT or SIGTERM; the exit code.
  [[nodiscard]] int run(const StepRegistry& registry) const;

 private:
  CLI::App* subcommand_ = nullptr;
  ServeOptions options_;
  std::string token_file_;
};

}  // namespace gantry::host
