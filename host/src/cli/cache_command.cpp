#include "cli/cache_command.hpp"

#include <cctype>
#include <filesystem>
#include <iostream>

#include "cache/step_cache.hpp"
#include "cli/exit_code.hpp"
#include "cli/usage_error.hpp"

namespace gantry::host {
namespace {

/// "500M", "2G", "1048576": bytes.
std::uint64_t parse_size(const std::string& text) {
  std::size_t used = 0;
  std::uint64_t number = 0;
  try {
    number = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const std::uint64_t scale = unit.empty() || unit == "B"    ? 1
                              : unit == "K" || unit == "KiB" ? 1ULL << 10
                              : unit == "M" || unit == "MiB" ? 1ULL << 20
                              : unit == "G" || unit == "GiB" ? 1ULL << 30
                                                             : 0;
  if (used == 0 || scale == 0) {
    throw UsageError("--max-size: '" + text + "' is not a size",
                     "Give bytes, or a number with K, M or G, e.g. --max-size 500M.");
  }
  return number * scale;
}

std::string mib(std::uint64_t bytes) {
  return std::to_string(bytes / (1ULL << 20)) + "." +
         std::to_string((bytes % (1ULL << 20)) * 10 / (1ULL << 20)) + " MiB";
}

}  // namespace

CacheCommand::CacheCommand(CLI::App& app) {
  subcommand_ = app.add_subcommand("cache", "Manage the step cache (.gantry/cache) here");
  subcommand_->require_subcommand(1);
  prune_ = subcommand_->add_subcommand(
      "prune", "Remove the least recently used cached step runs until the cache fits");
  prune_->add_option("--max-size", max_size_, "The size to keep at most (K, M, G)")
      ->capture_default_str();
}

int CacheCommand::run() const {
  const auto cache = StepCache::in(std::filesystem::current_path());
  const auto report = cache.prune(parse_size(max_size_));
  std::cout << "Removed " << report.entries_removed
            << " cached step run(s): " << mib(report.bytes_before) << " -> "
            << mib(report.bytes_after) << " in " << cache.dir().string() << "\n";
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace gantry::host
