#pragma once

#include "gantry/sdk/step.hpp"

namespace gantry::oci_push {

/// The `oci-push` step: `skopeo copy SRC DEST` between oci-archive:, oci:, docker:// and
/// (as destination) docker-daemon:, without unpacking, blobs in parallel.
class OciPushStep final : public sdk::Step {
 public:
  [[nodiscard]] v1::StepDescription describe() const override;
  void run(sdk::Context& context) override;
};

}  // namespace gantry::oci_push
