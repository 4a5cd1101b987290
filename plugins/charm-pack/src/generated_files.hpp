#pragma once

#include <string>

#include "charm_project.hpp"

namespace gantry::charm_pack {

/// charmcraft's dispatch for the charm plugin (charm_builder.py handle_dispatcher,
/// const.py DISPATCH_CONTENT), byte for byte, running `entrypoint`.
[[nodiscard]] std::string dispatch_script(const std::string& entrypoint);

/// metadata.yaml as charmcraft generates it (CharmMetadata.from_charm(project).marshal(),
/// yaml.safe_dump: sorted keys).
[[nodiscard]] std::string metadata_yaml(const CharmProject& project);

/// config.yaml (the whole `config` mapping) and actions.yaml; "" when the project has
/// none, and charmcraft writes no file then.
[[nodiscard]] std::string config_yaml(const CharmProject& project);
[[nodiscard]] std::string actions_yaml(const CharmProject& project);

/// What manifest.yaml's analysis found (charmcraft linters.py): language and framework.
struct Analysis {
  bool python = false;              ///< dispatch runs an executable .py
  bool operator_framework = false;  ///< venv/ops exists and the entrypoint imports ops
};

/// manifest.yaml with charmcraft's keys in charmcraft's order; `version` is what
/// charmcraft-version says, `started_at` an ISO time.
[[nodiscard]] std::string manifest_yaml(const BuildTarget& target, const Analysis& analysis,
                                        const std::string& version, const std::string& started_at);

}  // namespace gantry::charm_pack
