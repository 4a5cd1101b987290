#pragma once

#include "gantry/sdk/context.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// What a plugin author implements: a step that describes itself and runs.
///
/// A new instance serves each describe or run call, so a step may keep state in
/// members for the length of one run. run() reports through the Context and ends by
/// returning (success), throwing gantry::Error (failure with a message for the user),
/// or throwing gantry::Cancelled. Any other exception is reported as an internal error.
class Step {
 public:
  virtual ~Step();

  /// The step's name, version, parameters and outputs.
  [[nodiscard]] virtual v1::StepDescription describe() const = 0;
  /// Runs once with the parameters the Context holds.
  virtual void run(Context& context) = 0;
};

}  // namespace gantry::sdk
