#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>

#include "cli/output_options.hpp"
#include "plugins/step_registry.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

/// `gantry run [FILE]`: the pipeline in FILE, else ./gantry.yaml, else the bundled default
/// pipeline for the 12-factor project in the current directory (default_pipeline.hpp),
/// with its options (--registry, --application, ...). `--print-pipeline` prints the
/// pipeline instead of running it; `--dry-run` checks it and prints what each step would
/// do.
class RunCommand {
 public:
  explicit RunCommand(CLI::App& app);

  [[nodiscard]] CLI::App* subcommand() const { return subcommand_; }

  /// Runs what the command line asks for; the exit code.
  [[nodiscard]] int run(const StepRegistry& registry, const OutputOptions& output) const;

 private:
  /// The pipeline's text and the file it stands for (the default pipeline stands for
  /// ./gantry.yaml in the project directory).
  struct Source {
    std::string text;
    std::filesystem::path file;
    bool bundled = false;
  };
  [[nodiscard]] Source source() const;
  /// `--remote`: the pipeline file and its directory go to the runner.
  [[nodiscard]] int run_remotely(const Source& pipeline, const OutputOptions& output) const;

  CLI::App* subcommand_ = nullptr;
  std::string file_;
  std::size_t jobs_ = 1;
  std::string registry_;
  std::optional<bool> registry_tls_verify_;
  std::string application_;
  std::string image_resource_;
  bool print_pipeline_ = false;
  bool dry_run_ = false;
  bool no_cache_ = false;
  std::string isolation_ = "in-process";
  bool keep_going_ = false;
  RemoteOptions remote_;
  std::string token_file_;
};

/// What `--dry-run` prints for a checked plan: each step, what it waits for, and its
/// parameters with their expressions as written.
void print_dry_run(const struct Plan& plan, std::ostream& out);

}  // namespace gantry::host
