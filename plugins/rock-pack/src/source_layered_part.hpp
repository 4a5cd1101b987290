// A part whose files go into its layer straight from its source: a `dump` of a local
// directory with nothing that could change the files on the way (no scripts, no organize,
// no stage-packages, no permissions, the default filesets) in a project where no part runs
// commands, so that no one can look at stage or prime. Its pull, build, stage and prime
// are then only a listing: the layer writer reads the source itself, and a pack of a
// large tree costs what reading and compressing it costs.
#pragma once

#include <filesystem>
#include <optional>

#include "rock_project.hpp"

namespace gantry::rock_pack {

/// The directory the part's files come from, when `part` can be layered from its source;
/// nullopt when it must go through the lifecycle's directories. `work_dir` and
/// `output_dir` must not be inside that directory (they would be part of it).
[[nodiscard]] std::optional<std::filesystem::path> source_layered_root(
    const PartSpec& part, bool project_runs_commands, const std::filesystem::path& project_dir,
    const std::filesystem::path& work_dir, const std::filesystem::path& output_dir);

}  // namespace gantry::rock_pack
