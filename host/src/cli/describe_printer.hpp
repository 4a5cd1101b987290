#pragma once

#include <ostream>

#include "plugins/step_registry.hpp"

namespace gantry::host {

/// `gantry plugins`: one line per step (name, version, summary, file).
void print_plugins(const StepRegistry& registry, std::ostream& out);

/// `gantry plugins --remote ADDRESS`: the steps a runner offers, as print_plugins shows
/// local ones, with transport `remote`.
void print_runner_steps(const std::string& address, const std::vector<v1::StepDescription>& steps,
                        std::ostream& out);

/// `gantry describe STEP`: the step's parameters and outputs, for people.
void print_description(const StepEndpoint& endpoint, std::ostream& out);

/// `gantry describe STEP --json`: the StepDescription in protobuf's JSON mapping.
void print_description_json(const StepEndpoint& endpoint, std::ostream& out);

}  // namespace gantry::host
