#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gantry::juju {

/// What to refresh, as the step's parameters give it.
struct RefreshRequest {
  std::string application;
  std::optional<std::string> path;                             ///< a local .charm
  std::vector<std::pair<std::string, std::string>> resources;  ///< name, value
  std::optional<long> revision;
  std::optional<std::string> channel;
  std::optional<std::string> switch_to;
  std::optional<std::string> base;
  bool trust = false;
  bool force_units = false;
};

/// Splits `name=value`; throws gantry::Error for anything else.
[[nodiscard]] std::pair<std::string, std::string> split_resource(const std::string& text);

/// Refuses what `juju refresh` refuses (--path with --channel, --revision or --switch),
/// with the reason, before juju is even run.
void check_combination(const RefreshRequest& request);

/// The arguments after `juju`: refresh APP [--path P] [--resource N=V]... [--channel C]
/// [--revision R] [--switch S] [--base B] [--trust] [--force-units].
[[nodiscard]] std::vector<std::string> refresh_arguments(const RefreshRequest& request);

}  // namespace gantry::juju
