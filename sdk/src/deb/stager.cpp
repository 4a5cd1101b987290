#include "gantry/deb/stager.hpp"

#include <sys/stat.h>

#include <array>
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
#include "gantry/net/digest.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

// The SHA256 of a file, or "" when it cannot be read.
std::string file_sha256(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return {};
  }
  net::Sha256 hash;
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0) {
      hash.update({buffer.data(), static_cast<std::size_t>(in.gcount())});
    }
  }
  return hash.finish().hex();
}

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
  // A package needs its .deb only when its unpacked tree is not cached intact; a cached
  // .deb is used only when its SHA256 still matches.
  UnpackedCache unpacked(cache_dir / "trees");
  std::vector<CachedDeb> cached_debs;
  std::vector<Download> downloads;
  for (const Package* package : packages) {
    const CachedDeb deb{deb_dir / (std::string(package->sha256) + ".deb"),
                        std::string(package->sha256), package->id()};
    cached_debs.push_back(deb);
    if (unpacked.intact(deb) || file_sha256(deb.file) == deb.sha256) {
      continue;
    }
    downloads.push_back(
        {package->url(), deb.file, std::string(package->sha256), package->size, false, false});
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
  // Decompress each package once, in parallel, into the cache; then link the trees in
  // resolution order, later packages replacing files of earlier ones.
  StagingTree tree(root, reporter.warn, request.cached_files);
  unpacked.stage(
      cached_debs, tree, static_cast<int>(std::max(1U, std::thread::hardware_concurrency())),
      reporter.warn,
      [&](std::size_t done) { reporter.progress("unpack", done, packages.size(), "packages"); },
      reporter.cancelled);
  const auto summary = normalize_tree(tree, reporter.warn);
  reporter.info("made " + std::to_string(summary.symlinks_made_relative) +
                " symlinks relative, rewrote " + std::to_string(summary.shebangs_rewritten) +
                " Python shebangs");
  for (const Package* package : packages) {
    write_status_record(tree, *package);
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
