// Ends its process the way a broken plugin does, for the isolation tests: a segfault, an
// abort, exit(3), or a hang that ignores cancellation. `how: ok` succeeds.
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "gantry/sdk/plugin.hpp"
#include "gantry/sdk/value.hpp"

namespace {

class CrasherStep final : public gantry::sdk::Step {
 public:
  gantry::v1::StepDescription describe() const override {
    return gantry::sdk::Description("crasher", "1.0.0", "Crash its process on purpose")
        .param({.name = "how",
                .type = gantry::v1::PARAM_TYPE_STRING,
                .default_value = gantry::sdk::string_value("segfault"),
                .help = "segfault, abort, exit, hang or ok.",
                .choices = {"segfault", "abort", "exit", "hang", "ok"}})
        .output("pid", "The process the step ran in.");
  }
  void run(gantry::sdk::Context& context) override {
    const std::string how = context.string("how");
    context.output("pid", std::to_string(::getpid()));
    std::fprintf(stderr, "crasher: about to %s\n", how.c_str());
    std::fflush(stderr);
    // Each dies as a plugin built without sanitizers would: a sanitizer's handler (the
    // asan preset) would turn the signal into a report and an exit status.
    if (how == "segfault") {
      std::signal(SIGSEGV, SIG_DFL);
      std::raise(SIGSEGV);
    } else if (how == "abort") {
      std::signal(SIGABRT, SIG_DFL);
      std::abort();
    } else if (how == "exit") {
      std::exit(3);
    } else if (how == "hang") {
      while (true) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    }
  }
};

}  // namespace

GANTRY_PLUGIN(CrasherStep);
