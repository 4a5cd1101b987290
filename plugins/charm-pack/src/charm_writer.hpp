#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "charm_contents.hpp"
#include "charm_project.hpp"

namespace gantry::charm_pack {

/// What goes into one .charm besides the project's files.
struct CharmInputs {
  const CharmProject* project = nullptr;
  const BuildTarget* target = nullptr;
  const std::vector<ProjectFile>* files = nullptr;
  std::vector<ProjectFile> dumped{};            ///< files of dump parts, at the charm root
  std::optional<std::filesystem::path> venv{};  ///< the flat site-packages, or none
  std::int64_t epoch = 0;                       ///< every entry's time
  std::string entrypoint = "src/charm.py";
};

/// Writes `<output>/<name>_<platform>.charm` as charmcraft lays a charm out (§4 of the
/// charmcraft notes): the project files, generated metadata/config/actions/manifest
/// (unless the project has its own), dispatch and hooks/install|start|upgrade-charm as
/// copies of it, venv/; executables 0755. Through a temporary name and a rename.
/// Returns the file written.
std::filesystem::path write_charm(const CharmInputs& inputs, const std::filesystem::path& output,
                                  const std::string& gantry_version);

}  // namespace gantry::charm_pack
