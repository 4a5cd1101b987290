#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace gantry::juju {

/// What juju-refresh reads from a local .charm before refreshing to it: its name, the
/// resources its metadata.yaml declares and the bases its manifest.yaml lists (what Juju
/// itself reads: juju/charm charmarchive.go, meta.go, manifest.go).
struct CharmArchive {
  std::string name{};
  std::map<std::string, std::string> resources{};  ///< name -> type (oci-image, file)
  /// "ubuntu@22.04", from manifest.yaml's bases; empty when there is no manifest.
  std::vector<std::string> bases{};
};

/// Reads `path`. Throws gantry::Error when it is not a zip, or a zip without metadata.yaml
/// (Juju's one required file), or its YAML does not parse.
[[nodiscard]] CharmArchive read_charm_archive(const std::filesystem::path& path);

/// A channel as Juju compares it: "22.04/stable" and "22.04" are the same.
[[nodiscard]] std::string base_track(const std::string& channel);

}  // namespace gantry::juju
