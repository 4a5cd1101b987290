#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "cli/exit_code.hpp"
#include "cli/output_options.hpp"
#include "pipeline/plan.hpp"
#include "report/reporter.hpp"

namespace gantry::host {

/// What a run of a plan needs besides the plan.
struct RunSettings {
  OutputOptions output;
  std::size_t jobs = 1;
  /// Print the outputs of every step as `name=value` lines on stdout (direct step runs).
  bool print_outputs = false;
  /// Use the step cache of the plan's working directory (pipelines, not one-step commands).
  bool use_cache = false;
  /// After a failure, run every step that does not depend on it (`--keep-going`).
  bool keep_going = false;
};

/// Carries out a run: gives its events to the reporter, polls `interrupted` (Ctrl-C).
using RunExecutor = std::function<RunSummary(Reporter& reporter, const std::string& run_id,
                                             const std::function<bool()>& interrupted)>;

/// Shows a run as a user sees it, whoever carries it out (this host, or a runner): the
/// reporter chosen by --output, the event log under <working dir>/.gantry/runs/<run-id>/,
/// Ctrl-C handling, the outputs when asked, and on failure the message, `Recommended
/// resolution:` and the log's path on stderr.
[[nodiscard]] ExitCode report_session(const std::filesystem::path& working_directory,
                                      const RunSettings& settings, const RunExecutor& execute);

/// Runs a plan as a user sees it: a new run id, the reporter chosen by --output, the
/// event log under <working dir>/.gantry/runs/<run-id>/events.jsonl, Ctrl-C handling,
/// and on failure the message, `Recommended resolution:` and the log's path on stderr.
[[nodiscard]] ExitCode run_session(const Plan& plan, const RunSettings& settings);

/// A new run id: UTC time and a random suffix, e.g. 20261125T011731Z-3fa9c2.
[[nodiscard]] std::string new_run_id();

}  // namespace gantry::host
