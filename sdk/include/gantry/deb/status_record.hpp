#pragma once

#include <filesystem>
#include <string>

#include "gantry/deb/package_index.hpp"
#include "gantry/deb/staging_tree.hpp"

namespace gantry::deb {

/// The dpkg status stanza for a staged package: its index stanza without the download
/// fields (Filename, Size, hashes), with "Status: install ok installed" after Package.
[[nodiscard]] std::string status_stanza(const Package& package);

/// Writes var/lib/dpkg/status.d/NAME in `tree`, the per-package status file that distroless
/// images and rocks carry and that image scanners (trivy, syft) read.
void write_status_record(StagingTree& tree, const Package& package);

}  // namespace gantry::deb
