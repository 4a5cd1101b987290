// A project's OCI entrypoint: `entrypoint-service` or `entrypoint-command` (canonical/rockcraft
// rockcraft/models/project.py).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

#include "yaml_reader.hpp"

namespace gantry::rock_pack::detail {

/// The service named by `entrypoint-service`, after warning that the entrypoint is atypical.
/// Throws ConfigError unless `services` (the checked `services:`) defines it with default
/// arguments.
std::string parse_entrypoint_service(const Reader& reader, const Field& field,
                                     const YAML::Node& services);

/// The command given by `entrypoint-command`, after warning that the entrypoint is atypical.
/// Throws ConfigError when `entrypoint_service` is also given or the command does not parse.
std::string parse_entrypoint_command(const Reader& reader, const Field& field,
                                     std::string_view entrypoint_service);

}  // namespace gantry::rock_pack::detail
