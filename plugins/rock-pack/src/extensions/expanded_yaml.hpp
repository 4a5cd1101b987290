// rockcraft.yaml printed back after its extensions are expanded (`gantry rock-pack --expand`,
// rockcraft's expand-extensions): block style, keys in the order written (an extension's
// keys after the user's), strings quoted where YAML would read them as something else.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace gantry::rock_pack {

[[nodiscard]] std::string expanded_yaml(const YAML::Node& document);

}  // namespace gantry::rock_pack
