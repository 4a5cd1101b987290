#include "cli/describe_printer.hpp"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <iomanip>

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
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(endpoint.description(), &json, options);
  out << json;
}

}  // namespace gantry::host
