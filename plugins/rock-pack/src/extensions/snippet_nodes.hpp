// Building the YAML an extension merges, with the scalar tags the reader expects: a string
// is quoted ("!"), a number or a boolean is plain ("?"), as if a user had written them.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::rock_pack::snippet {

YAML::Node text(std::string_view value);
YAML::Node number(long long value);
YAML::Node list(std::initializer_list<YAML::Node> items);
YAML::Node texts(const std::vector<std::string>& items);
/// An empty mapping; fill it with node["key"] = value (insertion order is kept).
YAML::Node map();

}  // namespace gantry::rock_pack::snippet
