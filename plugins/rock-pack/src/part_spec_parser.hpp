// A project's `parts:` (canonical/craft-parts parts.py, permissions.py and the plugins'
// properties).
#pragma once

#include <string_view>
#include <vector>

#include "rock_project.hpp"
#include "yaml_reader.hpp"

namespace gantry::rock_pack::detail {

/// The entries of `parts:` in file order, with craft-parts' defaults filled in. `base` is the
/// project's base (a `bare` base refuses overlays). Throws ConfigError at the first problem.
std::vector<PartSpec> parse_part_specs(const Reader& reader, const Field& field,
                                       std::string_view base);

}  // namespace gantry::rock_pack::detail
