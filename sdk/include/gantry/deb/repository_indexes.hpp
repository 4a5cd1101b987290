#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "gantry/deb/apt_config.hpp"
#include "gantry/deb/apt_source.hpp"
#include "gantry/deb/downloader.hpp"
#include "gantry/deb/package_index.hpp"

namespace gantry::deb {

/// Reads the Packages indexes of `sources` for `architecture`, as `apt-get update` does:
/// InRelease (or Release + Release.gpg), its signature checked with gpgv against the
/// source's Signed-By keyrings (or apt's trusted keys) unless the source is [trusted=yes];
/// then Packages.xz/.gz/plain, checked against the size and SHA256 the Release lists.
/// Everything is cached under `cache_dir`: Release files by URL (revalidated with
/// If-Modified-Since), indexes by hash (never fetched twice).
///
/// A Release whose Valid-Until has passed is refused, every time it is used (a cached one
/// too), unless the source says check-valid-until=no or `apt_config` says
/// Acquire::Check-Valid-Until "false" (or turns date checks off: check-date=no,
/// Acquire::Check-Date "false"). A repository with no Release at all (a flat one holding
/// only Packages) is read only when [trusted=yes], as apt reads it: its Packages.xz, .gz
/// or plain, unverified. Throws DebError naming the repository.
[[nodiscard]] PackageIndex load_package_index(const std::vector<AptSource>& sources,
                                              const std::string& architecture,
                                              const std::filesystem::path& cache_dir,
                                              Downloader& downloader,
                                              const std::function<void(const std::string&)>& warn,
                                              const AptConfig& apt_config);
/// The same with this machine's apt configuration (load_apt_config()).
[[nodiscard]] PackageIndex load_package_index(const std::vector<AptSource>& sources,
                                              const std::string& architecture,
                                              const std::filesystem::path& cache_dir,
                                              Downloader& downloader,
                                              const std::function<void(const std::string&)>& warn);

/// The text an InRelease file signs, without checking the signature (for [trusted=yes]).
[[nodiscard]] std::string clearsigned_text(const std::string& in_release, const std::string& label);

/// This machine's Debian architecture name (amd64, arm64, ...).
[[nodiscard]] std::string native_architecture();

}  // namespace gantry::deb
