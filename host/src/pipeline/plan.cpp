#include "pipeline/plan.hpp"

#include "gantry/sdk/promised_outputs.hpp"
#include "gantry/sdk/step_runner.hpp"
#include "gantry/sdk/utf8.hpp"
#include "gantry/sdk/value.hpp"
#include "pipeline/expression.hpp"
#include "pipeline/invalid_pipeline.hpp"
#include "pipeline/step_graph.hpp"
#include "plugins/step_registry.hpp"

namespace gantry::host {
namespace {

/// `text` itself when it is UTF-8, the only text the step protocol carries.
const std::string& utf8_text(const std::string& text) {
  if (!sdk::is_valid_utf8(text)) {
    throw Error("is not valid UTF-8 text",
                "Write the value in UTF-8; a file name in another encoding can be renamed.");
  }
  return text;
}

/// A value for a parameter whose type needs a scalar; throws a message for the user.
std::string scalar_text(const YAML::Node& node, v1::ParamType type) {
  if (node.IsNull()) {
    throw Error("has no value");
  }
  if (!node.IsScalar()) {
    throw Error("must be a " + std::string(sdk::type_name(type)) + ", not a " +
                (node.IsSequence() ? "list" : "mapping"));
  }
  return utf8_text(node.Scalar());
}

bool has_expression(const std::string& text) { return text.find("${{") != std::string::npos; }

/// Converts one `with:` value to the parameter's type. Returns false and leaves a string
/// when the value is an expression that can only be typed after substitution.
bool convert(const YAML::Node& node, v1::ParamType type, v1::Value& value) {
  switch (type) {
    case v1::PARAM_TYPE_STRING:
    case v1::PARAM_TYPE_PATH:
      value = sdk::string_value(scalar_text(node, type));
      return true;
    case v1::PARAM_TYPE_INT:
    case v1::PARAM_TYPE_BOOL: {
      const std::string text = scalar_text(node, type);
      if (has_expression(text)) {
        value = sdk::string_value(text);
        return false;
      }
      try {
        value = sdk::parse_value(type, text);
      } catch (const Error&) {
        throw Error("must be " +
                    std::string(type == v1::PARAM_TYPE_INT ? "a whole number" : "true or false") +
                    ", not '" + text + "'");
      }
      return true;
    }
    case v1::PARAM_TYPE_LIST: {
      if (!node.IsSequence()) {
        throw Error(node.IsNull() ? "has no value" : "must be a list, e.g. [a, b]");
      }
      std::vector<std::string> items;
      for (const auto& item : node) {
        if (!item.IsScalar()) {
          throw Error("must be a list of strings");
        }
        items.push_back(utf8_text(item.Scalar()));
      }
      value = sdk::list_value(items);
      return true;
    }
    case v1::PARAM_TYPE_MAP: {
      if (!node.IsMap()) {
        throw Error(node.IsNull() ? "has no value" : "must be a mapping of names to strings");
      }
      std::map<std::string, std::string> entries;
      for (const auto& entry : node) {
        if (!entry.second.IsScalar()) {
          throw Error("must map names to strings; '" + entry.first.Scalar() + "' is not a string");
        }
        if (!entry.first.IsScalar()) {
          throw Error("must map names to strings; a name is not a string");
        }
        entries[utf8_text(entry.first.Scalar())] = utf8_text(entry.second.Scalar());
      }
      value = sdk::map_value(entries);
      return true;
    }
    default:
      throw Error("has a type this gantry does not know");
  }
}

/// Every string inside a value: the string itself, list items, map values.
std::vector<std::string> strings_in(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kStringValue:
      return {value.string_value()};
    case v1::Value::kListValue:
      return {value.list_value().items().begin(), value.list_value().items().end()};
    case v1::Value::kMapValue: {
      std::vector<std::string> texts;
      for (const auto& [key, text] : value.map_value().entries()) {
        texts.push_back(text);
      }
      return texts;
    }
    default:
      return {};
  }
}

const v1::ParamSpec* find_spec(const v1::StepDescription& description, const std::string& name) {
  for (const auto& spec : description.params()) {
    if (spec.name() == name) {
      return &spec;
    }
  }
  return nullptr;
}

class Planner {
 public:
  Planner(const Pipeline& pipeline, const StepRegistry& registry, PlanOptions options)
      : pipeline_(pipeline), registry_(registry), options_(options) {}

  Plan plan() {
    std::map<std::string, PlannedStep> planned;
    std::map<std::string, std::set<std::string>> promised;
    for (const auto& step : pipeline_.steps) {
      planned[step.id] = plan_step(step, promised[step.id]);
    }
    for (const auto& step : pipeline_.steps) {
      check_links(step, planned, promised);
    }
    std::vector<std::string> ids;
    for (const auto& step : pipeline_.steps) {
      ids.push_back(step.id);
    }
    StepGraph graph(ids);
    for (const auto& [id, step] : planned) {
      for (const auto& need : step.needs) {
        if (graph.contains(need)) {
          graph.add_dependency(id, need);
        }
      }
    }
    if (const auto cycle = graph.find_cycle()) {
      std::string chain;
      for (const auto& id : *cycle) {
        chain += chain.empty() ? id : " -> " + id;
      }
      problems_.push_back({planned[cycle->front()].position,
                           "steps depend on each other in a cycle: " + chain,
                           "Remove one of the `needs:` or output references along it."});
    }
    if (!problems_.empty()) {
      throw InvalidPipeline(std::move(problems_));
    }
    Plan plan;
    plan.file = pipeline_.file;
    plan.working_directory = std::filesystem::absolute(pipeline_.file).parent_path();
    for (const auto& id : graph.topological_order()) {
      plan.steps.push_back(std::move(planned[id]));
    }
    return plan;
  }

 private:
  /// Moves the step into a child process when `isolation: process` (or --isolation
  /// process) asks for it.
  void place(const PipelineStep& step, PlannedStep& planned) {
    const bool isolate = step.isolation.empty() ? options_.isolate : step.isolation == "process";
    if (!isolate) {
      if (step.isolation == "in-process" &&
          planned.endpoint->transport() != StepTransport::kInProcess) {
        problems_.push_back({step.isolation_position,
                             "step '" + step.id + "' (" + step.uses + ") is served by " +
                                 planned.endpoint->origin() +
                                 ", which always runs in its own process",
                             "Remove `isolation: in-process`."});
      }
      return;
    }
    try {
      planned.endpoint = registry_.isolated(step.uses);
    } catch (const Error& error) {
      planned.endpoint = nullptr;
      problems_.push_back({step.isolation.empty() ? step.uses_position : step.isolation_position,
                           error.what(), error.resolution()});
    }
  }

  PlannedStep plan_step(const PipelineStep& step, std::set<std::string>& promised) {
    PlannedStep planned;
    planned.id = step.id;
    planned.position = step.position;
    for (const auto& need : step.needs) {
      planned.needs.insert(need.id);
    }
    if (!step.runs_on.empty()) {
      if (!step.isolation.empty()) {
        problems_.push_back({step.isolation_position,
                             "`isolation:` does not go with `runs-on:`: the runner runs the step",
                             "Remove one of the two."});
      }
      RemoteOptions remote = options_.remote;
      remote.address = step.runs_on;
      try {
        planned.endpoint = registry_.remote(remote, step.uses);
      } catch (const Error& error) {
        problems_.push_back({step.runs_on_position, error.what(), error.resolution()});
        return planned;
      }
    } else {
      planned.endpoint = registry_.find(step.uses);
    }
    if (planned.endpoint == nullptr) {
      problems_.push_back({step.uses_position, "unknown step '" + step.uses + "'",
                           "Run `gantry plugins` to list the steps, or add the plugin's "
                           "directory to GANTRY_PLUGIN_PATH."});
      return planned;
    }
    if (step.runs_on.empty()) {
      place(step, planned);
    }
    if (planned.endpoint == nullptr) {
      return planned;
    }
    const auto& description = planned.endpoint->description();
    const std::string subject = "step '" + step.id + "' (" + description.name() + ")";
    std::map<std::string, SourcePosition> positions;
    std::set<std::string> invalid;
    for (const auto& entry : step.with) {
      const auto* spec = find_spec(description, entry.name);
      if (spec == nullptr) {
        positions[entry.name] = entry.key_position;
        continue;  // reported by check_params below, at the key
      }
      positions[entry.name] = entry.value_position;  // a range or a choice, at the value
      v1::Value value;
      try {
        if (!convert(entry.value, spec->type(), value)) {
          planned.deferred[entry.name] = spec->type();
        }
      } catch (const Error& error) {
        problems_.push_back({entry.value_position,
                             "parameter '" + entry.name + "' of " + subject + " " + error.what(),
                             spec->help()});
        invalid.insert(entry.name);
        continue;
      }
      for (const auto& text : strings_in(value)) {
        try {
          (void)find_references(text);
        } catch (const ExpressionError& error) {
          problems_.push_back({entry.value_position, error.what(), error.resolution()});
        }
      }
      planned.params[entry.name] = std::move(value);
    }
    // Unknown and missing parameters; typed values were checked above.
    auto to_check = planned.params;
    for (const auto& entry : step.with) {
      if (find_spec(description, entry.name) == nullptr) {
        to_check[entry.name] = sdk::string_value("");
      }
    }
    for (auto& [name, type] : planned.deferred) {
      to_check.erase(name);
    }
    for (const auto& diagnostic : sdk::check_params(description, to_check, subject)) {
      if (planned.deferred.contains(diagnostic.param()) || invalid.contains(diagnostic.param())) {
        continue;
      }
      const auto where = positions.find(diagnostic.param());
      problems_.push_back({where == positions.end() ? step.position : where->second,
                           diagnostic.summary(), diagnostic.detail()});
    }
    promised = sdk::promised_outputs(description, planned.params);
    return planned;
  }

  void check_links(const PipelineStep& step, std::map<std::string, PlannedStep>& planned,
                   const std::map<std::string, std::set<std::string>>& promised) {
    auto& self = planned[step.id];
    for (const auto& need : step.needs) {
      if (!planned.contains(need.id)) {
        problems_.push_back({need.position,
                             "step '" + step.id + "' needs unknown step '" + need.id + "'",
                             "Known steps: " + known_ids() + "."});
      } else if (need.id == step.id) {
        problems_.push_back({need.position, "step '" + step.id + "' needs itself"});
      }
    }
    for (const auto& entry : step.with) {
      const auto found = self.params.find(entry.name);
      if (found == self.params.end()) {
        continue;
      }
      for (const auto& text : strings_in(found->second)) {
        std::vector<OutputReference> references;
        try {
          references = find_references(text);
        } catch (const ExpressionError&) {
          continue;  // reported while planning the step
        }
        for (const auto& reference : references) {
          check_reference(step, entry, reference, planned, promised);
        }
      }
    }
  }

  void check_reference(const PipelineStep& step, const ParamEntry& entry,
                       const OutputReference& reference,
                       std::map<std::string, PlannedStep>& planned,
                       const std::map<std::string, std::set<std::string>>& promised) {
    if (!planned.contains(reference.step)) {
      problems_.push_back({entry.value_position,
                           "'" + entry.name + "' refers to unknown step '" + reference.step + "'",
                           "Known steps: " + known_ids() + "."});
      return;
    }
    if (reference.step == step.id) {
      problems_.push_back(
          {entry.value_position, "'" + entry.name + "' refers to an output of its own step"});
      return;
    }
    planned[step.id].needs.insert(reference.step);
    const auto& outputs = promised.at(reference.step);
    const auto* endpoint = planned[reference.step].endpoint;
    if (endpoint != nullptr && !outputs.contains(reference.output)) {
      std::string names;
      for (const auto& name : outputs) {
        names += names.empty() ? name : ", " + name;
      }
      problems_.push_back({entry.value_position,
                           "step '" + reference.step + "' (" + endpoint->description().name() +
                               ") has no output '" + reference.output + "'",
                           "Its outputs: " + (names.empty() ? std::string("none") : names) + "."});
    }
  }

  std::string known_ids() const {
    std::string ids;
    for (const auto& step : pipeline_.steps) {
      ids += ids.empty() ? step.id : ", " + step.id;
    }
    return ids;
  }

  const Pipeline& pipeline_;
  const StepRegistry& registry_;
  PlanOptions options_;
  std::vector<Problem> problems_;
};

}  // namespace

google::protobuf::Map<std::string, v1::Value> PlannedStep::resolve(
    const OutputTable& outputs) const {
  const auto lookup = [&](const OutputReference& reference) {
    const auto step = outputs.find(reference.step);
    if (step == outputs.end()) {
      return std::string();
    }
    const auto value = step->second.find(reference.output);
    return value == step->second.end() ? std::string() : value->second;
  };
  auto resolved = params;
  for (auto& [name, value] : resolved) {
    if (value.has_string_value()) {
      value.set_string_value(substitute(value.string_value(), lookup));
    } else if (value.has_list_value()) {
      for (auto& item : *value.mutable_list_value()->mutable_items()) {
        item = substitute(item, lookup);
      }
    } else if (value.has_map_value()) {
      for (auto& [key, text] : *value.mutable_map_value()->mutable_entries()) {
        text = substitute(text, lookup);
      }
    }
    const auto typed_later = deferred.find(name);
    if (typed_later != deferred.end()) {
      try {
        value = sdk::parse_value(typed_later->second, value.string_value());
      } catch (const Error& error) {
        throw Error("parameter '" + name + "' of step '" + id + "': " + error.what(),
                    error.resolution());
      }
    }
  }
  return resolved;
}

Plan plan_pipeline(const Pipeline& pipeline, const StepRegistry& registry, PlanOptions options) {
  return Planner(pipeline, registry, options).plan();
}

}  // namespace gantry::host
