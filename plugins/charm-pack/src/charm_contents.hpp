#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "charm_project.hpp"

namespace gantry::charm_pack {

/// One file of the project that goes into the charm.
struct ProjectFile {
  std::string name{};              ///< its path in the charm ('/'-separated)
  std::filesystem::path source{};  ///< on disk (a symlink's target is read)
  std::uint32_t mode = 0644;       ///< 0755 when executable, else 0644
  std::int64_t mtime = 0;
};

/// The project's files as charmcraft's charm plugin links them into the charm
/// (charm_builder.py handle_generic_paths): everything but the default ignore rules, the
/// project's .jujuignore, what craft-parts leaves out of a part's source (charmcraft.yaml,
/// *.charm, .craft, parts/, stage/, prime/), gantry's own state (.gantry/) and `skip`
/// (the output directory when it is inside the project). Symlinks are kept (as copies of
/// their targets, as charmcraft's zip does) only when they point inside the project.
/// Sorted by name.
[[nodiscard]] std::vector<ProjectFile> project_files(
    const CharmProject& project, const std::filesystem::path& skip,
    const std::function<void(const std::string&)>& warn);

}  // namespace gantry::charm_pack
