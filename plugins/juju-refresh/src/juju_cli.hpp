#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gantry/sdk/child_process.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::juju {

/// The real `juju` command-line client, run as a child process.
class JujuCli {
 public:
  /// `model` empty means juju's current model.
  JujuCli(std::filesystem::path executable, std::string model,
          sdk::ChildProcess::StopRequested stop_requested);

  /// The juju to run: `given` (--juju), else $GANTRY_JUJU, else `juju` on PATH. Throws
  /// gantry::Error saying how to install juju when there is none.
  static std::filesystem::path locate(const std::optional<std::string>& given,
                                      const std::filesystem::path& workdir);

  /// `juju status APP --format=json` (with -m when a model is set): its JSON text.
  [[nodiscard]] std::string status(const std::string& application) const;
  /// `juju resources APP --format=json`.
  [[nodiscard]] std::string resources(const std::string& application) const;
  /// Runs `juju ARGS...`, passing each output line to `on_line`. Throws gantry::Error with
  /// juju's own words turned into advice when juju fails.
  void run(const std::vector<std::string>& args,
           const sdk::ChildProcess::LineHandler& on_line) const;
  /// The command line `run(args)` executes, for --dry-run and logs.
  [[nodiscard]] std::vector<std::string> command(const std::vector<std::string>& args) const;

 private:
  [[nodiscard]] std::string read_json(const std::vector<std::string>& args) const;

  std::filesystem::path executable_;
  std::string model_;
  sdk::ChildProcess::StopRequested stop_requested_;
};

/// What a failed juju command said, as an error a user can act on (the known failures
/// get their own message and resolution).
[[nodiscard]] Error juju_failure(const std::string& command, const std::string& output,
                                 int exit_code);

/// A command line for people: arguments with spaces quoted.
[[nodiscard]] std::string shell_words(const std::vector<std::string>& argv);

}  // namespace gantry::juju
