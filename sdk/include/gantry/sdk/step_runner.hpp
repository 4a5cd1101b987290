#pragma once

#include <vector>

#include "gantry/sdk/event_sink.hpp"
#include "gantry/sdk/step.hpp"
#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// Checks parameters against a description: unknown names, missing required ones, values
/// of the wrong kind, ints outside [minimum, maximum], strings not among the choices, and
/// text that is not UTF-8. Each diagnostic names its parameter in `param`. Messages
/// call the step `subject` (default: "step 'NAME'").
[[nodiscard]] std::vector<v1::Diagnostic> check_params(
    const v1::StepDescription& description,
    const google::protobuf::Map<std::string, v1::Value>& params, std::string subject = {});

/// Adds the description's default for every parameter the request leaves out.
void apply_defaults(const v1::StepDescription& description, v1::RunRequest& request);

/// Runs `step` as every transport must: a run cancelled before it starts ends cancelled;
/// otherwise it checks the parameters, applies defaults, calls
/// run(), and turns what it throws into the result. Emits the step's events to `sink`,
/// then exactly one Result event, and returns that Result. Never throws.
v1::Result run_step(Step& step, v1::RunRequest request, EventSink& sink) noexcept;

}  // namespace gantry::sdk
