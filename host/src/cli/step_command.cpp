#include "cli/step_command.hpp"

#include "cli/usage_error.hpp"
#include "gantry/sdk/step_runner.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::host {
namespace {

std::string option_help(const v1::ParamSpec& spec) {
  std::string help = spec.help() + " (" + std::string(sdk::type_name(spec.type()));
  if (spec.required()) {
    help += ", required";
  }
  if (spec.has_default_value()) {
    const std::string shown = sdk::display_value(spec.default_value(), spec.secret());
    help += ", default: " + (shown.empty() ? std::string("none") : shown);
  }
  return help + ")";
}

}  // namespace

CLI::App* add_step_subcommand(CLI::App& app, const v1::StepDescription& description) {
  auto* subcommand = app.add_subcommand(description.name(), description.summary());
  subcommand->group("Steps");
  return subcommand;
}

StepCommand::StepCommand(CLI::App& app, StepEndpoint& endpoint) : endpoint_(endpoint) {
  const auto& description = endpoint.description();
  subcommand_ = add_step_subcommand(app, description);
  for (const auto& spec : description.params()) {
    const std::string flag = "--" + spec.name();
    if (spec.name() == kActionParam && spec.type() == v1::PARAM_TYPE_STRING) {
      // A step's verb goes first, as the craft tools have it: `gantry rock-pack clean`.
      options_[spec.name()] =
          subcommand_->add_option(spec.name(), texts_[spec.name()], option_help(spec))
              ->type_name("ACTION")
              ->expected(1);
      continue;
    }
    if (spec.type() == v1::PARAM_TYPE_BOOL) {
      options_[spec.name()] = subcommand_->add_flag(flag, flags_[spec.name()], option_help(spec));
    } else {
      options_[spec.name()] = subcommand_->add_option(flag, texts_[spec.name()], option_help(spec))
                                  ->type_name(spec.type() == v1::PARAM_TYPE_LIST  ? "ITEM,..."
                                              : spec.type() == v1::PARAM_TYPE_MAP ? "KEY=VALUE,..."
                                                                                  : "VALUE");
    }
  }
}

google::protobuf::Map<std::string, v1::Value> StepCommand::params() const {
  const auto& description = endpoint_.description();
  google::protobuf::Map<std::string, v1::Value> params;
  for (const auto& spec : description.params()) {
    const auto* option = options_.at(spec.name());
    if (option->count() == 0) {
      continue;
    }
    try {
      if (spec.type() == v1::PARAM_TYPE_BOOL) {
        params[spec.name()] = sdk::bool_value(flags_.at(spec.name()));
      } else if (spec.type() == v1::PARAM_TYPE_LIST || spec.type() == v1::PARAM_TYPE_MAP) {
        std::string joined;
        for (const auto& text : texts_.at(spec.name())) {
          joined += (joined.empty() ? "" : ",") + text;
        }
        params[spec.name()] = sdk::parse_value(spec.type(), joined);
      } else {
        params[spec.name()] = sdk::parse_value(spec.type(), texts_.at(spec.name()).back());
      }
    } catch (const Error& error) {
      throw UsageError("--" + spec.name() + ": " + error.what(), error.resolution());
    }
  }
  const auto problems = sdk::check_params(description, params);
  if (!problems.empty()) {
    std::string message;
    for (const auto& problem : problems) {
      message += (message.empty() ? "" : "; ") + problem.summary();
    }
    throw UsageError(message, "Run `gantry " + description.name() + " --help` for its options.");
  }
  return params;
}

}  // namespace gantry::host
