#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "charm_project.hpp"

namespace gantry::charm_pack {

/// What the workload sees of one config option, by paas-charm's rule (v1:
/// charm_state.py CharmState.from_charm, app.py App.gen_environment).
struct OptionMapping {
  std::string option{};
  std::string variable{};  ///< FLASK_TOKEN; FLASK_CREDS_<KEY> for secrets; "" when none
  std::string note{};      ///< "string", "JSON-encoded int", "gunicorn setting", ...
  bool dropped = false;    ///< paas-charm ignores the option silently
};

/// The configuration contract of a 12-factor charm.
struct EnvContract {
  std::vector<OptionMapping> options{};
  std::vector<std::string> warnings{};
  std::vector<std::string> always_set{};  ///< variables paas-charm sets on its own
};

/// The contract of `project` (empty for a charm without a 12-factor extension). Throws
/// ConfigError when two options map to one variable, naming both.
[[nodiscard]] EnvContract env_contract(const CharmProject& project);

/// `--show-env`'s text: one line per option, `name -> VARIABLE (note)`.
[[nodiscard]] std::string format_contract(const EnvContract& contract);

/// Warnings about the rock next to the charm (its rockcraft.yaml beside charm/): a
/// migration script paas-charm would not run (not executable, or left out of the
/// workload's app directory by the install-app part's prime list).
[[nodiscard]] std::vector<std::string> migration_warnings(const CharmProject& project);

}  // namespace gantry::charm_pack
