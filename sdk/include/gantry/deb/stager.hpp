#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gantry/deb/apt_source.hpp"
#include "gantry/deb/staging_tree.hpp"

namespace gantry::deb {

/// What to stage and where: what `stage-packages` in a rockcraft part says.
struct StageRequest {
  std::vector<std::string> packages;  ///< "name" or "name=version"
  std::filesystem::path into;
  std::string architecture;        ///< "" for this machine's
  std::vector<AptSource> sources;  ///< empty for the machine's apt configuration
  std::vector<std::string> exclude;
  std::optional<std::filesystem::path> base_status;  ///< a dpkg status file
  std::filesystem::path cache_dir;  ///< "" for ${XDG_CACHE_HOME:-~/.cache}/gantry/deb
  int jobs = 8;
  /// Copies (reflinks where possible), or hard links into the cache for a caller that
  /// never modifies the staged tree.
  StagingTree::CachedFiles cached_files = StagingTree::CachedFiles::kCopy;
};

/// How staging reports what it does (a step maps these to its Context).
struct StageReporter {
  std::function<void(const std::string&)> info = [](const std::string&) {};
  std::function<void(const std::string&)> warn = [](const std::string&) {};
  /// (what, done, total, unit): "download" in bytes, "unpack" in packages.
  std::function<void(const std::string&, std::uint64_t, std::uint64_t, const std::string&)>
      progress = [](const std::string&, std::uint64_t, std::uint64_t, const std::string&) {};
  std::function<bool()> cancelled = [] { return false; };
};

struct StagedPackage {
  std::string name;
  std::string version;
  std::string architecture;
};

struct StageResult {
  std::vector<StagedPackage> packages;  ///< in the order they were unpacked
  std::uint64_t downloaded_bytes = 0;
};

/// Resolves, downloads, verifies and unpacks packages into `request.into`, then normalizes
/// the tree and records each package under var/lib/dpkg/status.d/. Every .deb is
/// downloaded and verified before anything is unpacked. When `into` does not exist or is
/// empty, the tree is built beside it and renamed into place, so a failure leaves nothing.
StageResult stage_packages(const StageRequest& request, const StageReporter& reporter);

/// ${XDG_CACHE_HOME:-~/.cache}/gantry/deb.
[[nodiscard]] std::filesystem::path default_cache_dir();

}  // namespace gantry::deb
