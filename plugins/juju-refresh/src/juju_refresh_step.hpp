#pragma once

#include "gantry/sdk/step.hpp"

namespace gantry::juju {

/// The `juju-refresh` step: `juju refresh` through the real juju client, checked first
/// (application, local charm, resource names, stale image tags), optionally waiting
/// until every unit settles on the new charm.
class JujuRefreshStep final : public sdk::Step {
 public:
  [[nodiscard]] v1::StepDescription describe() const override;
  void run(sdk::Context& context) override;
};

}  // namespace gantry::juju
