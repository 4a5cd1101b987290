#pragma once

#include <string>
#include <vector>

#include "charm_project.hpp"
#include "project_files.hpp"

namespace gantry::charm_pack {

/// The charms to build: one per `platforms` entry (with `base`), or one per legacy `bases`
/// configuration (craft-platforms' charm build plan; charmcraft models/project.py).
/// Throws ConfigError for a platform or base charmcraft would refuse.
[[nodiscard]] std::vector<BuildTarget> build_plan(const ProjectFiles& files);

/// This machine's Debian architecture (amd64, arm64, ...).
[[nodiscard]] std::string host_architecture();

}  // namespace gantry::charm_pack
