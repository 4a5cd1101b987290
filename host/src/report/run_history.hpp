#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace gantry::host {

/// The event log of one run, open and locked while the run goes on, so that another
/// gantry pruning the same project's runs leaves it alone.
class RunLog {
 public:
  RunLog(std::filesystem::path file, int fd) : file_(std::move(file)), fd_(fd) {}
  ~RunLog();
  RunLog(const RunLog&) = delete;
  RunLog& operator=(const RunLog&) = delete;

  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  int fd_;
};

/// The event logs of a project's runs: <working dir>/.gantry/runs/<run-id>/events.jsonl.
class RunHistory {
 public:
  /// How many runs are kept when GANTRY_KEEP_RUNS does not say.
  static constexpr std::size_t kDefaultKept = 20;

  explicit RunHistory(const std::filesystem::path& working_directory);

  /// Creates the log of run `run_id`, empty and private (directories 0700, file 0600: a
  /// log holds what steps printed, which is no one else's to read), and locks it. Throws
  /// gantry::Error when it cannot, or when .gantry or .gantry/runs is a symlink.
  [[nodiscard]] RunLog create_log(const std::string& run_id) const;

  /// Removes the oldest runs but the newest `keep`, oldest by when their directory was
  /// made (run ids made in the same second do not sort by time). Only directories named
  /// as gantry names runs are removed, never one whose log another gantry holds, and
  /// nothing when .gantry or .gantry/runs is not a real directory. Best effort: pruning
  /// never fails a run.
  void prune(std::size_t keep) const;

  /// GANTRY_KEEP_RUNS as a count of runs (at least 1), or kDefaultKept when unset. Throws
  /// gantry::Error for a value that is not a positive number.
  [[nodiscard]] static std::size_t kept_from_environment();

 private:
  std::filesystem::path runs_;
};

}  // namespace gantry::host
