// The Step service's Run handler as a plugin process serves it: a RunRequest off the wire
// (protobuf bytes, whatever a client sent), its parameters checked against a description
// with every type, bound and secret, then read through the Context a step sees.
#include "fuzz_target.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/event_sink.hpp"
#include "gantry/sdk/step.hpp"
#include "gantry/sdk/step_runner.hpp"
#include "gantry/sdk/value.hpp"

namespace {

using gantry::v1::ParamType;

class EveryParamStep final : public gantry::sdk::Step {
 public:
  [[nodiscard]] gantry::v1::StepDescription describe() const override {
    return gantry::sdk::Description("fuzz", "1.0.0", "Reads every parameter")
        .param({.name = "text", .type = gantry::v1::PARAM_TYPE_STRING, .help = "a string"})
        .param({.name = "mode",
                .type = gantry::v1::PARAM_TYPE_STRING,
                .help = "a choice",
                .choices = {"fast", "slow"}})
        .param({.name = "jobs",
                .type = gantry::v1::PARAM_TYPE_INT,
                .default_value = gantry::sdk::int_value(1),
                .help = "a bounded int",
                .minimum = 1,
                .maximum = 64})
        .param({.name = "flag", .type = gantry::v1::PARAM_TYPE_BOOL, .help = "a bool"})
        .param({.name = "file", .type = gantry::v1::PARAM_TYPE_PATH, .help = "a path"})
        .param({.name = "items", .type = gantry::v1::PARAM_TYPE_LIST, .help = "a list"})
        .param({.name = "env", .type = gantry::v1::PARAM_TYPE_MAP, .help = "a map"})
        .param({.name = "token",
                .type = gantry::v1::PARAM_TYPE_STRING,
                .help = "a secret",
                .secret = true})
        .param({.name = "tokens",
                .type = gantry::v1::PARAM_TYPE_LIST,
                .help = "secrets",
                .secret = true})
        .output("echo", "what it read");
  }

  void run(gantry::sdk::Context& context) override {
    std::string seen;
    for (const char* name : {"text", "mode", "token"}) {
      if (context.has(name)) {
        seen += context.string(name);
      }
    }
    if (context.has("file")) {
      seen += context.path("file").string();
    }
    if (context.has("flag") && context.boolean("flag")) {
      seen += std::to_string(context.integer("jobs"));
    }
    for (const char* name : {"items", "tokens"}) {
      if (context.has(name)) {
        for (const auto& item : context.list(name)) {
          seen += item;
        }
      }
    }
    if (context.has("env")) {
      for (const auto& [key, value] : context.map("env")) {
        seen += key + value;
      }
    }
    context.info(seen);
    context.output("echo", seen);
  }
};

class DiscardingSink final : public gantry::sdk::EventSink {
 public:
  void emit(const gantry::v1::RunEvent& /*event*/) override {}
  [[nodiscard]] bool cancelled() const override { return false; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gantry::v1::RunRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) {
    return 0;  // gRPC refuses a message that does not parse before the handler sees it
  }
  EveryParamStep step;
  DiscardingSink sink;
  (void)gantry::sdk::run_step(step, request, sink);  // noexcept: every failure is a Result
  return 0;
}
