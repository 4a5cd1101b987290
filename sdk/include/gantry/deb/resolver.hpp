#pragma once

#include <string>
#include <vector>

#include "gantry/deb/package_index.hpp"

namespace gantry::deb {

/// A package already present where the staged packages will go (from a base image's
/// dpkg status file): it satisfies relations on its name and on what it provides.
struct InstalledPackage {
  std::string name;
  std::string version;
  std::vector<std::pair<std::string, std::string>> provides;  ///< name, version ("" if none)
};

struct ResolveRequest {
  std::vector<std::string> packages;  ///< "name" or "name=version"
  std::vector<std::string> exclude;   ///< names that must not be staged, nor their closure
  std::vector<InstalledPackage> installed;
};

/// Resolves requested packages to their Depends and Pre-Depends closure (no Recommends,
/// no Suggests), as apt does with Install-Recommends off: for `a | b` the first
/// alternative that can be satisfied, preferring one already chosen; versioned relations
/// by Debian's version order; virtual packages through Provides; architecture qualifiers
/// (`:any` needs Multi-Arch: allowed). A relation already satisfied by an installed or
/// excluded package pulls nothing in. Returns the packages dependencies-first (the order
/// to unpack them). Throws DebError with the chain that needed what cannot be found or
/// satisfied, e.g. "python3-flask -> python3-werkzeug -> libjs-jquery: not found".
[[nodiscard]] std::vector<const Package*> resolve(const PackageIndex& index,
                                                  const ResolveRequest& request);

/// The packages a dpkg status file lists as installed ("install ok installed").
[[nodiscard]] std::vector<InstalledPackage> read_dpkg_status(const std::string& text,
                                                             const std::string& origin);

}  // namespace gantry::deb
