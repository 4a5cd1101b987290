#include "gantry/sdk/step_runner.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <optional>
#include <system_error>

#include "gantry/sdk/error.hpp"
#include "gantry/sdk/file_error.hpp"
#include "gantry/sdk/utf8.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::sdk {
namespace {

v1::Diagnostic param_error(const std::string& param, std::string summary, std::string detail) {
  v1::Diagnostic diagnostic;
  diagnostic.set_severity(v1::SEVERITY_ERROR);
  diagnostic.set_param(param);
  diagnostic.set_summary(std::move(summary));
  diagnostic.set_detail(std::move(detail));
  return diagnostic;
}

void emit_result(EventSink& sink, const v1::Result& result) {
  v1::RunEvent event;
  event.set_time_unix_micros(now_unix_micros());
  *event.mutable_result() = result;
  sink.emit(event);
}

v1::Result failed(std::string message, std::string resolution = {}) {
  v1::Result result;
  result.set_outcome(v1::OUTCOME_FAILED);
  result.set_message(std::move(message));
  result.set_resolution(std::move(resolution));
  return result;
}

v1::Result cancelled() {
  v1::Result result;
  result.set_outcome(v1::OUTCOME_CANCELLED);
  result.set_message("cancelled");
  return result;
}

/// Whether every text in `value` (a string, list items, map keys and values) is UTF-8.
bool all_text_is_utf8(const v1::Value& value) {
  switch (value.kind_case()) {
    case v1::Value::kStringValue:
      return is_valid_utf8(value.string_value());
    case v1::Value::kListValue:
      return std::all_of(value.list_value().items().begin(), value.list_value().items().end(),
                         [](const std::string& item) { return is_valid_utf8(item); });
    case v1::Value::kMapValue:
      return std::all_of(value.map_value().entries().begin(), value.map_value().entries().end(),
                         [](const auto& entry) {
                           return is_valid_utf8(entry.first) && is_valid_utf8(entry.second);
                         });
    default:
      return true;
  }
}

std::string range_text(const v1::ParamSpec& spec) {
  if (spec.has_minimum() && spec.has_maximum()) {
    return "from " + std::to_string(spec.minimum()) + " to " + std::to_string(spec.maximum());
  }
  if (spec.has_minimum()) {
    return "at least " + std::to_string(spec.minimum());
  }
  return "at most " + std::to_string(spec.maximum());
}

std::string choices_text(const v1::ParamSpec& spec) {
  std::string text;
  for (const auto& choice : spec.choices()) {
    text += (text.empty() ? "" : ", ") + choice;
  }
  return text;
}

/// What is wrong with a value of the right kind: bounds, choices, text encoding.
std::optional<std::string> value_problem(const v1::ParamSpec& spec, const v1::Value& value) {
  if (!all_text_is_utf8(value)) {
    return "is not valid UTF-8 text";
  }
  if (value.has_int_value() && ((spec.has_minimum() && value.int_value() < spec.minimum()) ||
                                (spec.has_maximum() && value.int_value() > spec.maximum()))) {
    return "is " + std::to_string(value.int_value()) + ", but must be " + range_text(spec);
  }
  if (value.has_string_value() && spec.choices_size() > 0 &&
      std::find(spec.choices().begin(), spec.choices().end(), value.string_value()) ==
          spec.choices().end()) {
    return "is '" + display_value(value, spec.secret()) + "', but must be one of " +
           choices_text(spec);
  }
  return std::nullopt;
}

std::string known_params(const v1::StepDescription& description) {
  std::string names;
  for (const auto& spec : description.params()) {
    names += names.empty() ? spec.name() : ", " + spec.name();
  }
  return names.empty() ? "none" : names;
}

}  // namespace

std::vector<v1::Diagnostic> check_params(
    const v1::StepDescription& description,
    const google::protobuf::Map<std::string, v1::Value>& params, std::string subject) {
  if (subject.empty()) {
    subject = "step '" + description.name() + "'";
  }
  std::vector<v1::Diagnostic> problems;
  for (const auto& spec : description.params()) {
    const auto found = params.find(spec.name());
    if (found == params.end()) {
      if (spec.required()) {
        problems.push_back(
            param_error(spec.name(), subject + " needs parameter '" + spec.name() + "'",
                        spec.help().empty() ? std::string() : spec.name() + ": " + spec.help()));
      }
    } else if (!value_matches(found->second, spec.type())) {
      problems.push_back(param_error(spec.name(),
                                     "parameter '" + spec.name() + "' of " + subject +
                                         " must be a " + std::string(type_name(spec.type())),
                                     spec.help()));
    } else if (const auto problem = value_problem(spec, found->second)) {
      problems.push_back(
          param_error(spec.name(), "parameter '" + spec.name() + "' of " + subject + " " + *problem,
                      spec.help()));
    }
  }
  std::vector<std::string> unknown;
  for (const auto& [name, value] : params) {
    bool declared = false;
    for (const auto& spec : description.params()) {
      declared = declared || spec.name() == name;
    }
    if (!declared) {
      unknown.push_back(name);
    }
  }
  std::sort(unknown.begin(), unknown.end());  // protobuf maps iterate in no fixed order
  for (const auto& name : unknown) {
    problems.push_back(param_error(name, subject + " has no parameter '" + name + "'",
                                   "Known parameters: " + known_params(description) + "."));
  }
  return problems;
}

void apply_defaults(const v1::StepDescription& description, v1::RunRequest& request) {
  auto& params = *request.mutable_params();
  for (const auto& spec : description.params()) {
    if (spec.has_default_value() && !params.contains(spec.name())) {
      params[spec.name()] = spec.default_value();
    }
  }
}

v1::Result run_step(Step& step, v1::RunRequest request, EventSink& sink) noexcept {
  v1::Result result;
  try {
    const v1::StepDescription description = step.describe();
    const auto problems = check_params(description, request.params());
    if (sink.cancelled()) {
      result = cancelled();  // before it started: nothing to say about its parameters
    } else if (!problems.empty()) {
      for (const auto& problem : problems) {
        v1::RunEvent event;
        event.set_time_unix_micros(now_unix_micros());
        *event.mutable_diagnostic() = problem;
        sink.emit(event);
      }
      result = failed("invalid parameters for step '" + description.name() + "'",
                      "Run `gantry describe " + description.name() + "` to see its parameters.");
    } else {
      apply_defaults(description, request);
      Context context(std::move(request), description, sink);
      try {
        step.run(context);
        result.set_outcome(v1::OUTCOME_OK);
        for (const auto& [name, value] : context.outputs()) {
          (*result.mutable_outputs())[name] = value;
        }
        result.set_report(context.report_text());
        result.set_up_to_date(context.up_to_date());
        for (const auto& input : context.inputs()) {
          result.add_inputs(input);
        }
      } catch (const Cancelled&) {
        result = cancelled();
      } catch (const ConfigError& error) {
        v1::Diagnostic diagnostic;
        diagnostic.set_severity(v1::SEVERITY_ERROR);
        diagnostic.set_summary(error.what());
        diagnostic.set_detail(error.resolution());
        diagnostic.set_file(error.position().file);
        diagnostic.set_line(error.position().line);
        diagnostic.set_column(error.position().column);
        context.diagnostic(diagnostic);
        result = failed(context.redact(error.what()), context.redact(error.resolution()));
      } catch (const Error& error) {
        result = sink.cancelled()
                     ? cancelled()
                     : failed(context.redact(error.what()), context.redact(error.resolution()));
      } catch (const std::filesystem::filesystem_error& error) {
        // A full disk or a refused permission is the machine's, not a fault of the step;
        // another file system error (a path that is not there) may well be the step's.
        const bool errno_value = error.code().category() == std::generic_category() ||
                                 error.code().category() == std::system_category();
        const std::string resolution =
            errno_value ? file_error_resolution(error.code().value()) : std::string();
        result = sink.cancelled()      ? cancelled()
                 : !resolution.empty() ? failed(context.redact(error.what()), resolution)
                                       : failed("internal error in step '" + description.name() +
                                                    "': " + context.redact(error.what()),
                                                "Report this to the step's authors.");
      } catch (const std::exception& error) {
        result = sink.cancelled() ? cancelled()
                                  : failed("internal error in step '" + description.name() +
                                               "': " + context.redact(error.what()),
                                           "Report this to the step's authors.");
      }
    }
  } catch (const std::exception& error) {
    result = failed(std::string("internal error: ") + error.what());
  } catch (...) {
    result = failed("internal error: the step threw something that is not an exception");
  }
  try {
    emit_result(sink, result);
  } catch (...) {
    // The sink failed: the caller sees the returned result all the same.
  }
  return result;
}

}  // namespace gantry::sdk
