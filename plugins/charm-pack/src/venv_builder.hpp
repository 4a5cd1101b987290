#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "charm_project.hpp"

namespace gantry::charm_pack {

/// Where and for which Python the charm's `venv/` is built.
struct VenvRequest {
  std::filesystem::path cache_dir{};  ///< .gantry/charm-pack under the project
  std::string python_version{};       ///< 3.10 on ubuntu 22.04, 3.12 on 24.04
  std::string channel{};              ///< the Ubuntu release, for manylinux tags
  std::string build_for{};            ///< Debian architecture
  std::function<void(const std::string&)> info{};
  std::function<bool()> cancelled{};
};

/// Installs the charm parts' Python dependencies (charm-requirements,
/// charm-python-packages, charm-binary-python-packages and the PYDEPS of the charm
/// libraries under lib/) with Debian's pip for the charm's Python, into a flat directory
/// that becomes the charm's `venv/` (as charmcraft's copy of site-packages is). Reused
/// while the requirements, the Python, the architecture and PIP_INDEX_URL/PIP_FIND_LINKS
/// stay the same. Returns nullopt when there is nothing to install. Throws Error with
/// pip's own message when a requirement cannot be had.
[[nodiscard]] std::optional<std::filesystem::path> build_venv(const CharmProject& project,
                                                              const VenvRequest& request);

/// The packages charm libraries ask for in their PYDEPS lists.
[[nodiscard]] std::vector<std::string> library_pydeps(const std::filesystem::path& project_dir);

}  // namespace gantry::charm_pack
