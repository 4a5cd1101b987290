#pragma once

#include "gantry/sdk/step.hpp"

namespace gantry::charm_pack {

/// The `charm-pack` step: what `charmcraft pack` does, without LXD or a snap: reads
/// charmcraft.yaml (and the split metadata/config/actions files), expands the 12-factor
/// extensions, installs the Python dependencies with pip for the charm's base, and writes
/// one reproducible `.charm` per platform. `--expand` prints the expanded project
/// (`charmcraft expand-extensions`), `--show-env` the 12-factor configuration contract,
/// `clean` removes the build state.
class CharmPackStep final : public sdk::Step {
 public:
  [[nodiscard]] v1::StepDescription describe() const override;
  void run(sdk::Context& context) override;
};

}  // namespace gantry::charm_pack
