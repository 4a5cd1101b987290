// The smallest step: no parameters, one output. Built twice (noop, noop-again) to test
// that a second library providing the same step name is refused.
#include "gantry/sdk/plugin.hpp"

namespace {

class NoopStep final : public gantry::sdk::Step {
 public:
  gantry::v1::StepDescription describe() const override {
    return gantry::sdk::Description("noop", "1.0.0", "Do nothing, quickly")
        .output("done", "Always 'yes'.");
  }
  void run(gantry::sdk::Context& context) override { context.output("done", "yes"); }
};

}  // namespace

GANTRY_PLUGIN(NoopStep);
