// A project's `platforms:` (craft-application platforms.py, craft-platforms).
#pragma once

#include <vector>

#include "rock_project.hpp"
#include "yaml_reader.hpp"

namespace gantry::rock_pack::detail {

/// The entries of `platforms:`, shorthand expanded, in file order. Throws ConfigError as
/// craft-application reports a bad entry.
std::vector<Platform> parse_platforms(const Reader& reader, const Field& field);

}  // namespace gantry::rock_pack::detail
