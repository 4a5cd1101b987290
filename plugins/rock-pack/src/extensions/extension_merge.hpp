// How an extension's snippet meets what the user wrote (RC rockcraft/extensions/_utils.py
// _apply_extension_property): a value the user left empty or absent takes the extension's;
// mappings merge key by key; lists become the extension's items, then the user's (strings
// de-duplicated, first one kept); any other value the user gave wins. The user's own nodes
// are kept, so that a mistake in them is still reported at its line and column.
#pragma once

#include <yaml-cpp/yaml.h>

namespace gantry::rock_pack {

/// The merged value of one property.
YAML::Node merge_property(const YAML::Node& existing, const YAML::Node& extension);

/// Merges each top-level key of `snippet` into `project`, in place. `run_user` and
/// `run-user` are one key, as they are to rockcraft's model.
void merge_root_snippet(YAML::Node& project, const YAML::Node& snippet);

}  // namespace gantry::rock_pack
