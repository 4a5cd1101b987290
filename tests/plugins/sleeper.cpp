// Sleeps in short slices, polling cancellation: for parallelism and cancellation tests.
#include <chrono>
#include <thread>

#include "gantry/sdk/plugin.hpp"
#include "gantry/sdk/value.hpp"

namespace {

class SleeperStep final : public gantry::sdk::Step {
 public:
  gantry::v1::StepDescription describe() const override {
    return gantry::sdk::Description("sleeper", "1.0.0", "Sleep, and stop early when cancelled")
        .param({.name = "ms",
                .type = gantry::v1::PARAM_TYPE_INT,
                .default_value = gantry::sdk::int_value(100),
                .help = "How long to sleep."})
        .output("slept", "The milliseconds slept.");
  }
  void run(gantry::sdk::Context& context) override {
    const auto total = context.integer("ms");
    for (std::int64_t slept = 0; slept < total; slept += 10) {
      context.throw_if_cancelled();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    context.output("slept", std::to_string(total));
  }
};

}  // namespace

GANTRY_PLUGIN(SleeperStep);
