// The SDK's conformance suite, run against the exec step.
#include "exec_step.hpp"
#include "gantry/sdk/testing/conformance.hpp"
#include "gantry/sdk/value.hpp"

GANTRY_STEP_CONFORMANCE(
    Exec, .label = "exec", .factory = [] { return std::make_unique<gantry::exec::ExecStep>(); },
    .example_params = {{"command", gantry::sdk::string_value("true")}});
