// A complete gantry step: one class, one export line.
#include <algorithm>
#include <cctype>
#include <gantry/sdk/error.hpp>
#include <gantry/sdk/plugin.hpp>
#include <gantry/sdk/value.hpp>

namespace {

class HelloStep final : public gantry::sdk::Step {
 public:
  gantry::v1::StepDescription describe() const override {
    using gantry::v1::PARAM_TYPE_BOOL;
    using gantry::v1::PARAM_TYPE_INT;
    using gantry::v1::PARAM_TYPE_STRING;
    return gantry::sdk::Description("hello", "1.0.0", "Greet someone, as an example plugin")
        .param(
            {.name = "name", .type = PARAM_TYPE_STRING, .required = true, .help = "Who to greet."})
        .param({.name = "greeting",
                .type = PARAM_TYPE_STRING,
                .default_value = gantry::sdk::string_value("Hello"),
                .help = "The word to greet with."})
        .param({.name = "shout",
                .type = PARAM_TYPE_BOOL,
                .default_value = gantry::sdk::bool_value(false),
                .help = "Greet in capitals."})
        .param({.name = "repeat",
                .type = PARAM_TYPE_INT,
                .default_value = gantry::sdk::int_value(1),
                .help = "How many times to log the greeting (1 to 10)."})
        .output("message", "The greeting.");
  }

  void run(gantry::sdk::Context& context) override {
    const auto repeat = context.integer("repeat");
    if (repeat < 1 || repeat > 10) {
      throw gantry::Error("repeat is " + std::to_string(repeat) + ", outside 1 to 10",
                          "Set `repeat:` to a number from 1 to 10.");
    }
    std::string message = context.string("greeting") + ", " + context.string("name") + "!";
    if (context.boolean("shout")) {
      std::transform(message.begin(), message.end(), message.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    }
    for (std::int64_t i = 0; i < repeat; ++i) {
      context.throw_if_cancelled();
      context.progress("greeting", static_cast<std::uint64_t>(i + 1),
                       static_cast<std::uint64_t>(repeat), "times");
      context.info(message);
    }
    context.output("message", message);
  }
};

}  // namespace

GANTRY_PLUGIN(HelloStep);
