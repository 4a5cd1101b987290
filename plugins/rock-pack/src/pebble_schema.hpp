// A project's Pebble `services:` and `checks:`, checked against Pebble's schema as rockcraft
// checks them (canonical/rockcraft rockcraft/pebble.py).
#pragma once

#include "yaml_reader.hpp"

namespace gantry::rock_pack::detail {

/// Checks `services:`, a mapping of Pebble services. Throws ConfigError at the first problem.
void check_pebble_services(const Reader& reader, const Field& field);

/// Checks `checks:`, a mapping of Pebble health checks. Throws ConfigError at the first problem.
void check_pebble_checks(const Reader& reader, const Field& field);

}  // namespace gantry::rock_pack::detail
