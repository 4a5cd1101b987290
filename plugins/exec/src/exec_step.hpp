#pragma once

#include "gantry/sdk/step.hpp"

namespace gantry::exec {

/// The `exec` step: runs a command, relays its output as log lines, fails with its
/// exit status, and takes outputs from `name=value` lines the command appends to the
/// file named by $GANTRY_OUTPUT (as GitHub Actions does with $GITHUB_OUTPUT).
class ExecStep final : public sdk::Step {
 public:
  [[nodiscard]] v1::StepDescription describe() const override;
  void run(sdk::Context& context) override;
};

}  // namespace gantry::exec
