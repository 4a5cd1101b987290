#pragma once

#include <set>
#include <string>
#include <string_view>

#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// The capability prefix by which a step says that a list parameter names further
/// outputs it promises: "outputs-from-param:outputs" means "the names in my `outputs`
/// parameter are outputs too" (the exec step's, whose command chooses its outputs).
inline constexpr std::string_view kOutputsFromParamCapability = "outputs-from-param:";

/// The list parameter named by kOutputsFromParamCapability; empty when there is none.
[[nodiscard]] std::string outputs_param(const v1::StepDescription& description);

/// Every output a run with `params` promises: the description's own outputs plus the
/// names listed in the outputs parameter, when the step has one.
[[nodiscard]] std::set<std::string> promised_outputs(
    const v1::StepDescription& description,
    const google::protobuf::Map<std::string, v1::Value>& params);

}  // namespace gantry::sdk
