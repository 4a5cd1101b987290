#include "pipeline/pipeline_parser.hpp"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "gantry/yaml/document.hpp"
#include "pipeline/identifier.hpp"
#include "pipeline/invalid_pipeline.hpp"

namespace gantry::host {
namespace {

/// Collects problems while walking the document.
class Parser {
 public:
  explicit Parser(std::filesystem::path file) : file_(std::move(file)) {}

  SourcePosition at(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) {
      return {file_.string(), 0, 0};
    }
    return {file_.string(), static_cast<std::uint32_t>(mark.line + 1),
            static_cast<std::uint32_t>(mark.column + 1)};
  }

  void problem(const YAML::Node& node, std::string message, std::string hint = {}) {
    problems_.push_back({at(node), std::move(message), std::move(hint)});
  }

  Pipeline parse(const YAML::Node& root) {
    Pipeline pipeline;
    pipeline.file = file_;
    if (!root.IsMap()) {
      problem(root, "a pipeline file is a mapping with a `steps:` key",
              "Start the file with `steps:` and one entry per step.");
      return pipeline;
    }
    bool has_steps = false;
    for (const auto& entry : root) {
      const auto key_or_none = key_text(entry.first);
      if (!key_or_none) {
        continue;
      }
      const std::string& key = *key_or_none;
      if (key == "name") {
        if (!entry.second.IsScalar()) {
          problem(entry.second, "`name:` is a string");
        } else {
          pipeline.name = entry.second.Scalar();
        }
      } else if (key == "steps") {
        has_steps = true;
        parse_steps(entry.second, pipeline);
      } else {
        problem(entry.first, "unknown key '" + key + "'", "A pipeline has `name:` and `steps:`.");
      }
    }
    if (!has_steps) {
      problem(root, "the pipeline has no `steps:`", "Add `steps:` with one entry per step.");
    }
    return pipeline;
  }

  /// A mapping key as text; a key that is a list or a mapping is a problem (nullopt).
  std::optional<std::string> key_text(const YAML::Node& key) {
    if (!key.IsScalar()) {
      problem(key, "a key here is a plain name, not a list or a mapping");
      return std::nullopt;
    }
    return key.Scalar();
  }

  [[nodiscard]] std::vector<Problem> take_problems() { return std::move(problems_); }

 private:
  void parse_steps(const YAML::Node& steps, Pipeline& pipeline) {
    if (!steps.IsMap() || steps.size() == 0) {
      problem(steps, "`steps:` maps step ids to steps",
              "Write `steps:` then, indented, `build:` with `uses:` and `with:` below it.");
      return;
    }
    std::map<std::string, SourcePosition> seen;
    for (const auto& entry : steps) {
      const auto id = key_text(entry.first);
      if (!id) {
        continue;
      }
      PipelineStep step;
      step.id = *id;
      step.position = at(entry.first);
      if (!is_identifier(step.id)) {
        problem(entry.first, "step id '" + step.id + "' is not a valid id",
                "Use letters, digits, '_' and '-', starting with a letter or '_'.");
      }
      const auto [first, inserted] = seen.emplace(step.id, step.position);
      if (!inserted) {
        problem(entry.first, "step id '" + step.id + "' is used twice",
                "It is first defined at " + first->second.to_string() + "; rename one.");
        continue;
      }
      parse_step(entry.second, step);
      pipeline.steps.push_back(std::move(step));
    }
  }

  void parse_step(const YAML::Node& body, PipelineStep& step) {
    if (!body.IsMap()) {
      problem(body, "step '" + step.id + "' is a mapping with `uses:`",
              "Write `uses: STEP` under the step id.");
      return;
    }
    bool has_uses = false;
    for (const auto& entry : body) {
      const auto key_or_none = key_text(entry.first);
      if (!key_or_none) {
        continue;
      }
      const std::string& key = *key_or_none;
      if (key == "uses") {
        has_uses = true;
        if (!entry.second.IsScalar() || entry.second.Scalar().empty()) {
          problem(entry.second, "`uses:` names a step, e.g. `uses: exec`",
                  "Run `gantry plugins` to list the steps.");
        } else {
          step.uses = entry.second.Scalar();
          step.uses_position = at(entry.second);
        }
      } else if (key == "with") {
        parse_with(entry.second, step);
      } else if (key == "needs") {
        parse_needs(entry.second, step);
      } else if (key == "runs-on") {
        if (!entry.second.IsScalar() || entry.second.Scalar().empty()) {
          problem(entry.second, "`runs-on:` is a runner's address, e.g. `runs-on: 127.0.0.1:7400`",
                  "Give the address `gantry serve --listen` announced.");
        } else {
          step.runs_on = entry.second.Scalar();
          step.runs_on_position = at(entry.second);
        }
      } else if (key == "isolation") {
        if (!entry.second.IsScalar() ||
            (entry.second.Scalar() != "process" && entry.second.Scalar() != "in-process")) {
          problem(entry.second, "`isolation:` is `process` or `in-process`",
                  "`process` runs the step's plugin in a child process of its own, so that a "
                  "crash fails the step alone.");
        } else {
          step.isolation = entry.second.Scalar();
          step.isolation_position = at(entry.second);
        }
      } else {
        problem(entry.first, "unknown key '" + key + "' in step '" + step.id + "'",
                "A step has `uses:`, `with:`, `needs:`, `isolation:` and `runs-on:`.");
      }
    }
    if (!has_uses) {
      problem(body, "step '" + step.id + "' has no `uses:`", "Add `uses: STEP`.");
    }
  }

  void parse_with(const YAML::Node& with, PipelineStep& step) {
    if (with.IsNull()) {
      return;
    }
    if (!with.IsMap()) {
      problem(with, "`with:` maps parameter names to values");
      return;
    }
    std::map<std::string, SourcePosition> seen;
    for (const auto& entry : with) {
      const auto name = key_text(entry.first);
      if (!name) {
        continue;
      }
      ParamEntry param{*name, at(entry.first), entry.second, at(entry.second)};
      const auto [first, inserted] = seen.emplace(param.name, param.key_position);
      if (!inserted) {
        problem(entry.first, "parameter '" + param.name + "' is given twice",
                "It is first given at " + first->second.to_string() + ".");
        continue;
      }
      step.with.push_back(std::move(param));
    }
  }

  void parse_needs(const YAML::Node& needs, PipelineStep& step) {
    if (needs.IsScalar()) {
      step.needs.push_back({needs.Scalar(), at(needs)});
      return;
    }
    if (!needs.IsSequence()) {
      problem(needs, "`needs:` is a step id or a list of step ids");
      return;
    }
    for (const auto& item : needs) {
      if (!item.IsScalar()) {
        problem(item, "`needs:` lists step ids");
      } else {
        step.needs.push_back({item.Scalar(), at(item)});
      }
    }
  }

  std::filesystem::path file_;
  std::vector<Problem> problems_;
};

}  // namespace

Pipeline parse_pipeline(std::string_view text, const std::filesystem::path& file) {
  YAML::Node root;
  try {
    root = yaml::load_document(text);
  } catch (const YAML::Exception& error) {
    const SourcePosition where{file.string(), static_cast<std::uint32_t>(error.mark.line + 1),
                               static_cast<std::uint32_t>(error.mark.column + 1)};
    throw InvalidPipeline({{where, "invalid YAML: " + error.msg, "Fix the YAML syntax."}});
  }
  Parser parser(file);
  Pipeline pipeline = parser.parse(root);
  auto problems = parser.take_problems();
  if (!problems.empty()) {
    throw InvalidPipeline(std::move(problems));
  }
  return pipeline;
}

Pipeline parse_pipeline_file(const std::filesystem::path& file) {
  std::error_code error;
  if (std::filesystem::is_directory(file, error)) {
    throw ConfigError(
        {file.string(), 0, 0}, "the pipeline file is a directory",
        "Give the pipeline file itself: `gantry run " + (file / "gantry.yaml").string() + "`.");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error("cannot read pipeline file " + file.string(),
                "Check the path, or run `gantry run FILE` with the pipeline's path.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_pipeline(text.str(), file);
}

}  // namespace gantry::host
