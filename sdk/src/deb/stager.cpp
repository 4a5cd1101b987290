#include "gantry/deb/stager.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "file_text.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/repository_indexes.hpp"
#include "gantry/deb/resolver.hpp"
#include "gantry/deb/status_record.hpp"
#include "gantry/deb/tree_normalizer.hpp"
#include "gantry/deb/unpacked_cache.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

bool empty_or_missing(const fs::path& dir) {
  std::error_code error;
  return !fs::exists(dir, error) || (fs::is_directory(dir, error) && fs::is_empty(dir, error));
}

}  // namespace

fs::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return fs::path(xdg) / "gantry" / "deb";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : "/tmp") / ".cache" / "gantry" / "deb";
}

StageResult stage_packages(const StageRequest& request, const StageReporter& reporter) {
  if (request.packages.empty()) {
    throw DebError("no packages to stage", "Name at least one package.");
  }
  if (fs::exists(request.into) && !fs::is_directory(request.into)) {
    throw DebError(request.into.string() + " exists and is not a directory",
                   "Stage into a directory (it is created when missing).");
  }
  const std::string architecture =
      request.architecture.empty() ? native_architecture() : request.architecture;
  const fs::path cache_dir = request.cache_dir.empty() ? default_cache_dir() : request.cache_dir;
  const auto sources = request.sources.empty() ? load_system_sources() : request.sources;

  Downloader indexes_downloader({.jobs = request.jobs, .cancelled = reporter.cancelled});
  const PackageIndex index =
      load_package_index(sources, architecture, cache_dir, indexes_downloader, reporter.warn);
  reporter.info("read " + std::to_string(index.size()) + " " + architecture + " packages from " +
                std::to_string(sources.size()) + " source(s)");

  ResolveRequest resolve_request{request.packages, request.exclude, {}};
  if (request.base_status) {
    resolve_request.installed = read_dpkg_status(
        file_text(*request.base_status, "the dpkg status file"), request.base_status->string());
  }
  const auto packages = resolve(index, resolve_request);
  reporter.info("resolved " + std::to_string(packages.size()) + " packages");

  // Download and verify everything before unpacking anything.
  const fs::path deb_dir = cache_dir / "debs";
  fs::create_directories(deb_dir);
  std::vector<Download> downloads;
  std::vector<fs::path> debs;
  for (const Package* package : packages) {
    const fs::path cached = deb_dir / (std::string(package->sha256) + ".deb");
    debs.push_back(cached);
    std::error_code error;
    if (fs::exists(cached) && fs::file_size(cached, error) == package->size) {
      continue;
    }
    downloads.push_back(
        {package->url(), cached, std::string(package->sha256), package->size, false, false});
  }
  StageResult result;
  for (const auto& download : downloads) {
    result.downloaded_bytes += download.size.value_or(0);
  }
  if (!downloads.empty()) {
    reporter.info("downloading " + std::to_string(downloads.size()) + " packages");
    Downloader({.jobs = request.jobs,
                .on_progress =
                    [&](std::uint64_t done, std::uint64_t total) {
                      reporter.progress("download", done, total, "bytes");
                    },
                .cancelled = reporter.cancelled})
        .fetch(downloads);
  }

  // Unpack beside the target and rename it into place when the target is new.
  const bool fresh = empty_or_missing(request.into);
  std::optional<sdk::TemporaryDirectory> building;
  fs::path root = request.into;
  if (fresh) {
    const fs::path parent = fs::absolute(request.into).parent_path();
    fs::create_directories(parent);
    building.emplace(".gantry-stage-", parent);
    root = building->path();
  }
  // Decompress each package once, in parallel, into the cache; then copy the trees in
  // resolution order, later packages replacing files of earlier ones.
  std::vector<CachedDeb> cached_debs;
  for (std::size_t i = 0; i < packages.size(); ++i) {
    cached_debs.push_back({debs[i], std::string(packages[i]->sha256), packages[i]->id()});
  }
  UnpackedCache unpacked(cache_dir / "trees");
  StagingTree tree(root, reporter.warn);
  unpacked.stage(
      cached_debs, tree, static_cast<int>(std::max(1U, std::thread::hardware_concurrency())),
      reporter.warn,
      [&](std::size_t done) { reporter.progress("unpack", done, packages.size(), "packages"); },
      reporter.cancelled);
  const auto summary = normalize_tree(root, reporter.warn);
  reporter.info("made " + std::to_string(summary.symlinks_made_relative) +
                " symlinks relative, rewrote " + std::to_string(summary.shebangs_rewritten) +
                " Python shebangs");
  for (const Package* package : packages) {
    write_status_record(root, *package);
    result.packages.push_back({std::string(package->name), std::string(package->version),
                               std::string(package->architecture)});
  }
  if (fresh) {
    ::chmod(root.c_str(), 0755);
    std::error_code ignored;
    fs::remove(request.into, ignored);  // an empty directory
    fs::rename(root, request.into);
  }
  return result;
}

}  // namespace gantry::deb
