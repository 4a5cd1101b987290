#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugins/step_endpoint.hpp"

namespace gantry::host {

/// A string parameter named this is the step's verb, given as the first word rather than
/// as an option: `gantry rock-pack clean`.
inline constexpr const char* kActionParam = "action";

/// Adds `gantry STEP` to `app` with the step's summary and no options: enough for
/// `gantry --help` to list a step that the command line does not run.
CLI::App* add_step_subcommand(CLI::App& app, const v1::StepDescription& description);

/// `gantry STEP --param value ...`: a subcommand generated from a step's description.
/// Each parameter becomes `--NAME`; lists and maps take comma-separated items or repeat
/// the option (`--env A=1 --env B=2`); booleans are flags (`--trust`, `--trust=false`);
/// an `action` parameter is the positional verb.
class StepCommand {
 public:
  /// Adds the subcommand to `app`. `endpoint` must outlive the command.
  StepCommand(CLI::App& app, StepEndpoint& endpoint);

  [[nodiscard]] CLI::App* subcommand() const { return subcommand_; }
  [[nodiscard]] StepEndpoint& endpoint() const { return endpoint_; }

  /// The parameters given on the command line, typed. Throws UsageError for a value of
  /// the wrong form or for a missing required parameter.
  [[nodiscard]] google::protobuf::Map<std::string, v1::Value> params() const;

 private:
  StepEndpoint& endpoint_;
  CLI::App* subcommand_ = nullptr;
  // Each option's raw occurrences, keyed by parameter name. std::map: stable addresses.
  std::map<std::string, std::vector<std::string>> texts_;
  std::map<std::string, bool> flags_;
  std::map<std::string, CLI::Option*> options_;
};

}  // namespace gantry::host
