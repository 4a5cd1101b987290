#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "transport/spool.hpp"

namespace gantry::host {

/// Writes `project` as an uncompressed tar into `tar`: its directories, regular files
/// (with their modes) and symlinks, sorted, without what is never part of a project's
/// sources (sdk/project_files.hpp: `.gantry`, `.git`, packed `*.rock` and `*.charm`).
/// `extra` files (top-level name -> content) are added, in place of project files of the
/// same name. Returns the tar's size. Throws gantry::Error.
std::uint64_t write_project_tar(const std::filesystem::path& project, Spool& tar,
                                const std::map<std::string, std::string>& extra = {});

/// Unpacks a project tar that a client sent into the new directory `target`, refusing
/// anything that could write or point outside it: absolute names, `..`, entries below a
/// symlink, symlinks leading out, hard links, devices and fifos; set-id bits and write
/// bits for others are dropped. Its files may not add up to more than `max_bytes`.
/// Throws gantry::Error saying which entry and why.
void extract_project_tar(const Spool& tar, const std::filesystem::path& target,
                         std::uint64_t max_bytes);

}  // namespace gantry::host
