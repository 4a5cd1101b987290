#pragma once

#include <optional>
#include <string>

#include "gantry/v1/step.pb.h"

namespace gantry::host {

/// What makes a plugin's description unusable, or nullopt: a step name outside the
/// protocol's `[a-z][a-z0-9-]*`, a parameter or output name outside `[a-z][a-z0-9_-]*`,
/// a name given twice, or a parameter type this host does not know. Checked before the
/// host trusts a description, since the names become commands and options.
[[nodiscard]] std::optional<std::string> description_problem(
    const v1::StepDescription& description);

}  // namespace gantry::host
