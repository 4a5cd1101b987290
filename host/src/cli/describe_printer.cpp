#include "cli/describe_printer.hpp"

#include <algorithm>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "gantry/sdk/promised_outputs.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::host {
namespace {

/// "executable" and two spaces.
constexpr int kTransportWidth = 12;

/// One row per step: name, version, transport, summary, and where it comes from.
struct PluginRow {
  const v1::StepDescription* description;
  const char* transport;
  std::string origin;
};

void print_rows(const std::vector<PluginRow>& rows, std::ostream& out) {
  std::size_t name_width = 4;
  std::size_t version_width = 7;
  for (const auto& row : rows) {
    name_width = std::max(name_width, row.description->name().size());
    version_width = std::max(version_width, row.description->version().size());
  }
  out << std::left << std::setw(static_cast<int>(name_width + 2)) << "STEP"
      << std::setw(static_cast<int>(version_width + 2)) << "VERSION" << std::setw(kTransportWidth)
      << "TRANSPORT"
      << "SUMMARY\n";
  for (const auto& row : rows) {
    const auto& description = *row.description;
    out << std::left << std::setw(static_cast<int>(name_width + 2)) << description.name()
        << std::setw(static_cast<int>(version_width + 2)) << description.version()
        << std::setw(kTransportWidth) << row.transport << description.summary() << "\n"
        << std::setw(static_cast<int>(name_width + version_width + 4 + kTransportWidth)) << ""
        << "from " << row.origin << "\n";
  }
}

std::vector<std::string> strings(const google::protobuf::RepeatedPtrField<std::string>& items) {
  return {items.begin(), items.end()};
}

/// A Value in Protobuf's JSON mapping: its one set field, int64 as a string.
nlohmann::ordered_json value_json(const v1::Value& value) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  switch (value.kind_case()) {
    case v1::Value::kStringValue:
      json["string_value"] = value.string_value();
      break;
    case v1::Value::kIntValue:
      json["int_value"] = std::to_string(value.int_value());
      break;
    case v1::Value::kBoolValue:
      json["bool_value"] = value.bool_value();
      break;
    case v1::Value::kListValue: {
      auto& list = json["list_value"] = nlohmann::ordered_json::object();
      if (!value.list_value().items().empty()) {
        list["items"] = strings(value.list_value().items());
      }
      break;
    }
    case v1::Value::kMapValue: {
      auto& map = json["map_value"] = nlohmann::ordered_json::object();
      for (const auto& [key, item] : value.map_value().entries()) {
        map["entries"][key] = item;
      }
      break;
    }
    default:
      break;
  }
  return json;
}

nlohmann::ordered_json param_json(const v1::ParamSpec& spec) {
  nlohmann::ordered_json json = {{"name", spec.name()}};
  if (spec.type() != v1::PARAM_TYPE_UNSPECIFIED) {
    const auto& name = v1::ParamType_Name(spec.type());
    json["type"] = name.empty() ? nlohmann::ordered_json(spec.type())  // unknown: its number
                                : nlohmann::ordered_json(name);
  }
  if (spec.required()) {
    json["required"] = true;
  }
  if (spec.has_default_value()) {
    // A secret's default is shown as `gantry describe` shows every secret.
    json["default_value"] =
        spec.secret() ? value_json(sdk::string_value("****")) : value_json(spec.default_value());
  }
  if (!spec.help().empty()) {
    json["help"] = spec.help();
  }
  if (spec.secret()) {
    json["secret"] = true;
  }
  if (spec.has_minimum()) {
    json["minimum"] = std::to_string(spec.minimum());
  }
  if (spec.has_maximum()) {
    json["maximum"] = std::to_string(spec.maximum());
  }
  if (!spec.choices().empty()) {
    json["choices"] = strings(spec.choices());
  }
  return json;
}

/// The description in Protobuf's JSON mapping with the .proto's field names, fields at
/// their default left out (what MessageToJsonString printed, written out: the generated
/// code is the lite runtime's, which has no reflection). Secret defaults are masked.
nlohmann::ordered_json description_json(const v1::StepDescription& description) {
  nlohmann::ordered_json json = nlohmann::ordered_json::object();
  const auto put = [&json](const char* key, const std::string& text) {
    if (!text.empty()) {
      json[key] = text;
    }
  };
  put("name", description.name());
  put("version", description.version());
  if (description.protocol_version() != 0) {
    json["protocol_version"] = description.protocol_version();
  }
  put("summary", description.summary());
  for (const auto& spec : description.params()) {
    json["params"].push_back(param_json(spec));
  }
  for (const auto& output : description.outputs()) {
    nlohmann::ordered_json entry = {{"name", output.name()}};
    if (!output.help().empty()) {
      entry["help"] = output.help();
    }
    json["outputs"].push_back(entry);
  }
  if (!description.capabilities().empty()) {
    json["capabilities"] = strings(description.capabilities());
  }
  return json;
}

}  // namespace

void print_plugins(const StepRegistry& registry, std::ostream& out) {
  std::vector<PluginRow> rows;
  for (const auto* step : registry.steps()) {
    rows.push_back({&step->description(), transport_name(step->transport()), step->origin()});
  }
  print_rows(rows, out);
}

void print_runner_steps(const std::string& address, const std::vector<v1::StepDescription>& steps,
                        std::ostream& out) {
  std::vector<PluginRow> rows;
  for (const auto& description : steps) {
    rows.push_back({&description, transport_name(StepTransport::kRemote), "runner " + address});
  }
  print_rows(rows, out);
}

void print_description(const StepEndpoint& endpoint, std::ostream& out) {
  const auto& description = endpoint.description();
  out << description.name() << " " << description.version() << ": " << description.summary() << "\n"
      << "from " << endpoint.origin() << " (" << transport_name(endpoint.transport())
      << ")\n\nParameters:\n";
  if (description.params().empty()) {
    out << "  (none)\n";
  }
  for (const auto& spec : description.params()) {
    out << "  --" << spec.name() << " <" << sdk::type_name(spec.type()) << ">";
    if (spec.required()) {
      out << "  required";
    }
    if (spec.has_default_value()) {
      const auto shown = sdk::display_value(spec.default_value(), spec.secret());
      out << "  default: " << (shown.empty() ? "(empty)" : shown);
    }
    if (spec.secret()) {
      out << "  secret";
    }
    out << "\n      " << spec.help() << "\n";
  }
  out << "\nOutputs:\n";
  if (description.outputs().empty() && sdk::outputs_param(description).empty()) {
    out << "  (none)\n";
  }
  for (const auto& output : description.outputs()) {
    out << "  " << output.name() << "\n      " << output.help() << "\n";
  }
  if (const auto from_param = sdk::outputs_param(description); !from_param.empty()) {
    out << "  (the names listed in --" << from_param << ")\n";
  }
}

void print_description_json(const StepEndpoint& endpoint, std::ostream& out) {
  out << description_json(endpoint.description()).dump(2) << "\n";
}

}  // namespace gantry::host
