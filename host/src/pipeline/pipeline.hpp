#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::host {

/// One `with:` entry as written: the value stays YAML until the step's types are known.
struct ParamEntry {
  std::string name;
  SourcePosition key_position;
  YAML::Node value;
  SourcePosition value_position;
};

/// One `needs:` entry.
struct Need {
  std::string id;
  SourcePosition position;
};

/// A step of a pipeline file, as written.
struct PipelineStep {
  std::string id;
  SourcePosition position;
  std::string uses;
  SourcePosition uses_position;
  std::vector<ParamEntry> with;
  std::vector<Need> needs;
  /// `isolation:` as written: "process", "in-process", or empty when not given.
  std::string isolation;
  SourcePosition isolation_position;
  /// `runs-on:` as written: the address of a runner, or empty.
  std::string runs_on;
  SourcePosition runs_on_position;
};

/// A pipeline file, as written: steps in file order.
struct Pipeline {
  std::filesystem::path file;
  std::string name;
  std::vector<PipelineStep> steps;
};

}  // namespace gantry::host
