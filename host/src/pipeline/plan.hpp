#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gantry/sdk/error.hpp"
#include "gantry/v1/step.pb.h"
#include "pipeline/pipeline.hpp"
#include "plugins/step_endpoint.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

class StepRegistry;

/// Output values of finished steps: step id -> output name -> value.
using OutputTable = std::map<std::string, std::map<std::string, std::string>>;

/// A step ready to schedule: its endpoint, its typed parameters (strings may still hold
/// output references), and every step it waits for.
struct PlannedStep {
  std::string id;
  SourcePosition position;
  StepEndpoint* endpoint = nullptr;
  google::protobuf::Map<std::string, v1::Value> params;
  /// Parameters of type int or bool given as an expression: typed after substitution.
  std::map<std::string, v1::ParamType> deferred;
  std::set<std::string> needs;

  /// The parameters with every output reference replaced from `outputs`. Throws
  /// gantry::Error when a substituted value does not have the parameter's type.
  [[nodiscard]] google::protobuf::Map<std::string, v1::Value> resolve(
      const OutputTable& outputs) const;
};

/// A checked pipeline: steps in a topological order, file order among equals.
struct Plan {
  std::filesystem::path file;
  std::filesystem::path working_directory;
  std::vector<PlannedStep> steps;
};

/// How a run places its steps, unless a step says otherwise.
struct PlanOptions {
  /// Run every step whose `isolation:` is not given in a child process (`--isolation process`).
  bool isolate = false;
  /// How to reach the runners that `runs-on:` names: TLS files and token (the address is
  /// the step's).
  RemoteOptions remote{};
};

/// Checks `pipeline` against the steps `registry` offers and builds the plan. Throws
/// InvalidPipeline listing every problem with its position: unknown steps, unknown or
/// missing parameters, wrong types, malformed expressions, references to unknown steps
/// or to outputs a step does not promise, unknown `needs:`, and cycles.
[[nodiscard]] Plan plan_pipeline(const Pipeline& pipeline, const StepRegistry& registry,
                                 PlanOptions options = {});

}  // namespace gantry::host
