// A step whose name breaks the protocol's `[a-z][a-z0-9-]*`: the host must refuse the
// library, name the file, and carry on with the others.
#include "gantry/sdk/plugin.hpp"

namespace {

class BadNameStep final : public gantry::sdk::Step {
 public:
  gantry::v1::StepDescription describe() const override {
    return gantry::sdk::Description("Bad Name!", "1.0.0", "A step no command line can name");
  }
  void run(gantry::sdk::Context&) override {}
};

}  // namespace

GANTRY_PLUGIN(BadNameStep);
