// A step whose run() throws: the host must report a failed step, not crash.
#include <stdexcept>

#include "gantry/sdk/plugin.hpp"

namespace {

class ThrowingStep final : public gantry::sdk::Step {
 public:
  gantry::v1::StepDescription describe() const override {
    return gantry::sdk::Description("throwing", "1.0.0", "Throw from run()");
  }
  void run(gantry::sdk::Context& context) override {
    context.info("about to throw");
    throw std::runtime_error("the disk is made of cheese");
  }
};

}  // namespace

GANTRY_PLUGIN(ThrowingStep);
