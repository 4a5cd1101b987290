#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace gantry::yaml {

/// How dump() orders mapping keys.
enum class KeyOrder { kAsGiven, kSorted };

/// `node` as PyYAML's `yaml.safe_dump(data, default_flow_style=False)` writes the data it
/// holds, with charmcraft's one change (utils.dump_yaml: strings with a line break as `|`
/// literal blocks): block style, two-space indents, sequences in mappings not indented,
/// plain scalars where YAML 1.1 reads them back as the same string and quoted ('22.04',
/// 'true') where it would not, long plain and single-quoted scalars folded past column 80
/// as PyYAML folds them, booleans `true`/`false`, null `null`, integers in decimal.
/// Scalar types are those PyYAML's loader would give the node (a quoted scalar is a string).
[[nodiscard]] std::string dump_pyyaml(const YAML::Node& node, KeyOrder order = KeyOrder::kAsGiven);

}  // namespace gantry::yaml
