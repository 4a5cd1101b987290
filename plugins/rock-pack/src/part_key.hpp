#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "gantry/deb/apt_source.hpp"
#include "rock_project.hpp"

namespace gantry::rock_pack {

/// What a part's build depends on, as a digest: its definition, the project fields its
/// scripts can read, the architecture and apt sources, the state of its local source
/// (every path, kind, mode, size and modification time, and the content of files up to
/// 256 KiB and of links) and the keys of the parts it
/// comes after. Two packs with the same key build the same install directory, so the
/// second can reuse the first's. A git source is never reused.
struct PartKey {
  std::string digest;       ///< sha256 hex; empty when the part cannot be reused
  std::int64_t newest = 0;  ///< the newest modification time in its local source
};

/// How a local source's files are told apart. kContent reads small files, for sources
/// gantry hard-links into its directories (a link changes a file's change time, so that
/// time cannot be used). kMetadata adds each entry's inode and change time instead, which
/// every write, chmod or rename moves and no tool sets back: for sources gantry only
/// reads (parts layered from their source), where reading a large tree twice would cost.
enum class SourceState { kContent, kMetadata };

[[nodiscard]] PartKey part_key(const RockProject& project, const PartSpec& part,
                               const std::filesystem::path& project_dir,
                               const std::filesystem::path& output_dir,
                               const std::string& build_for,
                               const std::vector<deb::AptSource>& apt_sources,
                               const std::vector<std::string>& dependency_keys,
                               SourceState state = SourceState::kContent);

}  // namespace gantry::rock_pack
