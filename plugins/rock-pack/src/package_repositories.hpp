// A project's `package-repositories:` (canonical/craft-archives package_repository.py).
#pragma once

#include "yaml_reader.hpp"

namespace gantry::rock_pack::detail {

/// Checks `package-repositories:` (PPAs, Ubuntu Cloud Archive pockets and APT repositories)
/// as craft-archives validates them. Throws ConfigError at the first problem.
void check_package_repositories(const Reader& reader, const Field& field);

}  // namespace gantry::rock_pack::detail
