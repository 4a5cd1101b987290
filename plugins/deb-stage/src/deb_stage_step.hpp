#pragma once

#include "gantry/sdk/step.hpp"

namespace gantry::deb_stage {

/// The `deb-stage` step: what rockcraft's `stage-packages` does (resolve the Depends
/// closure, download and verify the .debs, unpack their data, normalize the tree),
/// natively, without apt-get, dpkg or a container.
class DebStageStep final : public sdk::Step {
 public:
  [[nodiscard]] v1::StepDescription describe() const override;
  void run(sdk::Context& context) override;
};

}  // namespace gantry::deb_stage
