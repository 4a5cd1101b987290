#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::juju {

/// One unit as `juju status --format=json` shows it.
struct UnitStatus {
  std::string name;      ///< "myapp/0"
  std::string workload;  ///< workload-status current: active, blocked, error, …
  std::string workload_message;
  std::string agent;  ///< juju-status current: idle, executing, error, …
  std::string agent_message;
  std::string upgrading_from;  ///< set while the unit still runs the previous charm
};

/// An application as `juju status --format=json` shows it.
struct ApplicationStatus {
  std::string charm;  ///< "myapp" or "local:myapp-3"
  std::string charm_name;
  std::string charm_origin;  ///< "local", "charmhub", …
  long charm_rev = -1;
  std::string base;  ///< "ubuntu@22.04"; "" when status does not say
  std::vector<UnitStatus> units;
  /// The model the document describes, "CONTROLLER:MODEL"; "" when status does not say.
  std::string model;
};

/// The application `name` in a status document; nullopt when the model has no such
/// application. Throws gantry::Error when the text is not juju's status JSON.
[[nodiscard]] std::optional<ApplicationStatus> find_application(std::string_view status_json,
                                                                const std::string& name);

/// A resource as `juju resources APP --format=json` lists it.
struct DeployedResource {
  std::string name;
  std::string type;  ///< "oci-image", "file"
  std::string revision;
  std::string fingerprint;
  std::string origin;  ///< "upload", "store"
};

[[nodiscard]] std::vector<DeployedResource> parse_resources(std::string_view resources_json);

/// Where the units of an application stand, for --wait.
struct Settling {
  enum class State { kSettled, kWaiting, kFailed } state = State::kWaiting;
  std::size_t settled = 0;  ///< units active and idle on the target revision
  std::string detail;       ///< for kFailed: "myapp/0 is blocked: migrate.sh failed"
};

/// Settled when every unit is active/idle, none still upgrading, and the application runs
/// `target_revision` (when >= 0); failed as soon as a unit is blocked or in error.
[[nodiscard]] Settling assess(const ApplicationStatus& application, long target_revision);

}  // namespace gantry::juju
