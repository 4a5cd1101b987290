#include "juju_status.hpp"

#include <nlohmann/json.hpp>

#include "gantry/sdk/error.hpp"

namespace gantry::juju {
namespace {

using Json = nlohmann::json;

Json parse(std::string_view text, const char* what) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& error) {
    throw Error(std::string(what) + " did not answer JSON: " + error.what(),
                "Check the juju client with `juju status`.");
  }
}

std::string status_field(const Json& unit, const char* key, const char* field) {
  if (!unit.contains(key) || !unit[key].is_object()) {
    return {};
  }
  return unit[key].value(field, "");
}

}  // namespace

std::optional<ApplicationStatus> find_application(std::string_view status_json,
                                                  const std::string& name) {
  const Json json = parse(status_json, "juju status");
  if (!json.contains("applications") || !json["applications"].is_object() ||
      !json["applications"].contains(name)) {
    return std::nullopt;
  }
  const Json& app = json["applications"][name];
  ApplicationStatus status;
  status.charm = app.value("charm", "");
  status.charm_name = app.value("charm-name", "");
  status.charm_origin = app.value("charm-origin", "");
  status.charm_rev = app.value("charm-rev", -1L);
  if (json.contains("model") && json["model"].is_object() &&
      json["model"].value("name", "") != "") {
    status.model = json["model"].value("controller", "") + ":" + json["model"].value("name", "");
  }
  if (app.contains("base") && app["base"].is_object()) {
    const std::string base_name = app["base"].value("name", "");
    std::string channel = app["base"].value("channel", "");
    channel = channel.substr(0, channel.find('/'));  // "22.04/stable" is 22.04
    if (!base_name.empty() && !channel.empty()) {
      status.base = base_name + "@" + channel;
    }
  }
  if (app.contains("units") && app["units"].is_object()) {
    for (const auto& [unit_name, unit] : app["units"].items()) {
      status.units.push_back({unit_name, status_field(unit, "workload-status", "current"),
                              status_field(unit, "workload-status", "message"),
                              status_field(unit, "juju-status", "current"),
                              status_field(unit, "juju-status", "message"),
                              unit.value("upgrading-from", "")});
    }
  }
  return status;
}

std::vector<DeployedResource> parse_resources(std::string_view resources_json) {
  const Json json = parse(resources_json, "juju resources");
  std::vector<DeployedResource> resources;
  if (!json.contains("resources") || !json["resources"].is_array()) {
    return resources;
  }
  for (const auto& entry : json["resources"]) {
    const auto text = [&](const char* key) {
      if (!entry.contains(key)) {
        return std::string();
      }
      return entry[key].is_string() ? entry[key].get<std::string>() : entry[key].dump();
    };
    resources.push_back(
        {text("name"), text("type"), text("revision"), text("fingerprint"), text("origin")});
  }
  return resources;
}

Settling assess(const ApplicationStatus& application, long target_revision) {
  Settling settling;
  for (const auto& unit : application.units) {
    if (unit.workload == "blocked" || unit.workload == "error" || unit.agent == "error") {
      settling.state = Settling::State::kFailed;
      const std::string& message =
          unit.workload_message.empty() ? unit.agent_message : unit.workload_message;
      settling.detail = unit.name + " is " + (unit.agent == "error" ? "in error" : unit.workload) +
                        (message.empty() ? "" : ": " + message);
      return settling;
    }
    if (unit.workload == "active" && unit.agent == "idle" && unit.upgrading_from.empty()) {
      ++settling.settled;
    }
  }
  const bool on_target = target_revision < 0 || application.charm_rev == target_revision;
  if (on_target && !application.units.empty() && settling.settled == application.units.size()) {
    settling.state = Settling::State::kSettled;
  }
  return settling;
}

}  // namespace gantry::juju
