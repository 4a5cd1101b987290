#pragma once

#include "gantry/sdk/step.hpp"

namespace gantry::rock_pack {

/// The `rock-pack` step: what `rockcraft pack` does, without LXD, Multipass or a snap:
/// reads rockcraft.yaml, runs the parts lifecycle on this machine and writes
/// `<name>_<version>_<platform>.rock`, reproducibly, one layer per part.
class RockPackStep final : public sdk::Step {
 public:
  [[nodiscard]] v1::StepDescription describe() const override;
  void run(sdk::Context& context) override;
};

}  // namespace gantry::rock_pack
