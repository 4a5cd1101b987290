#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace gantry::host {

/// `gantry cache prune [--max-size SIZE]`: bounds the step cache of the pipeline in the
/// current directory (.gantry/cache), least recently used entries first.
class CacheCommand {
 public:
  explicit CacheCommand(CLI::App& app);

  [[nodiscard]] CLI::App* subcommand() const { return subcommand_; }
  /// Runs the parsed subcommand; the exit code.
  [[nodiscard]] int run() const;

 private:
  CLI::App* subcommand_ = nullptr;
  CLI::App* prune_ = nullptr;
  std::string max_size_ = "1G";
};

}  // namespace gantry::host
