// Pebble's layer schema for services and checks, as rockcraft's models state it.
#include "pebble_schema.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::rock_pack::detail {
namespace {

constexpr std::array<std::string_view, 21> kServiceKeys{
    "override",         "command",       "summary",        "description",
    "startup",          "after",         "before",         "requires",
    "environment",      "user",          "user-id",        "group",
    "group-id",         "working-dir",   "on-success",     "on-failure",
    "on-check-failure", "backoff-delay", "backoff-factor", "backoff-limit",
    "kill-delay"};
constexpr std::array<std::string_view, 2> kOverrides{"merge", "replace"};
constexpr std::array<std::string_view, 2> kStartups{"enabled", "disabled"};
constexpr std::array<std::string_view, 4> kSuccessActions{"restart", "shutdown", "failure-shutdown",
                                                          "ignore"};
constexpr std::array<std::string_view, 4> kFailureActions{"restart", "shutdown", "success-shutdown",
                                                          "ignore"};
constexpr std::array<std::string_view, 2> kCheckLevels{"alive", "ready"};
constexpr std::array<std::string_view, 2> kHttpKeys{"url", "headers"};
constexpr std::array<std::string_view, 2> kTcpKeys{"port", "host"};
constexpr std::array<std::string_view, 8> kExecKeys{"command",  "service-context", "environment",
                                                    "user",     "user-id",         "group",
                                                    "group-id", "working-dir"};

/// A Pebble mapping: keys as Pebble spells them (the layer is written as given, so
/// `user_id` is refused with the hyphenated name suggested).
Model pebble_model(const Reader& reader, const Field& field, Names keys,
                   std::string_view model_name) {
  if (!field.value.IsMap()) {
    reader.invalid(field,
                   "Input should be a valid dictionary or instance of " + std::string(model_name));
  }
  const auto all = reader.entries(field);
  for (const auto& entry : all) {
    if (!contains(keys, entry.name)) {
      std::string hyphenated = entry.name;
      std::replace(hyphenated.begin(), hyphenated.end(), '_', '-');
      reader.extra_field(entry, field.path,
                         contains(keys, hyphenated)
                             ? "Pebble spells it '" + hyphenated + "'."
                             : "Remove it or correct its spelling; Pebble's keys here are " +
                                   joined(keys, ", ") + ".");
    }
  }
  return Model(all);
}

void check_service(const Reader& reader, const Field& service) {
  const Model model = pebble_model(reader, service, kServiceKeys, "Service");
  reader.choice(reader.require(model, service, "override"), kOverrides);
  (void)reader.string(reader.require(model, service, "command"));
  for (const std::string_view name : {"summary", "description", "user", "group", "working-dir",
                                      "backoff-delay", "backoff-limit", "kill-delay"}) {
    (void)reader.optional_string(model.get(name));
  }
  if (const Field* startup = model.given("startup")) {
    reader.choice(*startup, kStartups);
  }
  for (const std::string_view name : {"after", "before", "requires"}) {
    if (const Field* list = model.given(name)) {
      (void)reader.strings(*list);
    }
  }
  if (const Field* environment = model.given("environment")) {
    (void)reader.string_map(*environment);
  }
  for (const std::string_view name : {"user-id", "group-id"}) {
    if (const Field* id = model.given(name)) {
      (void)reader.integer(*id);
    }
  }
  if (const Field* action = model.given("on-success")) {
    reader.choice(*action, kSuccessActions);
  }
  if (const Field* action = model.given("on-failure")) {
    reader.choice(*action, kFailureActions);
  }
  if (const Field* actions = model.given("on-check-failure")) {
    for (const auto& entry : reader.entries(*actions)) {
      reader.choice(entry.field, kFailureActions);
    }
  }
  if (const Field* factor = model.given("backoff-factor")) {
    if (reader.number(*factor) < 1.0) {
      reader.invalid(*factor, "Input should be greater than or equal to 1",
                     "Pebble multiplies the delay by this factor: use 1 or more.");
    }
  }
}

void check_check(const Reader& reader, const Field& check) {
  if (!check.value.IsMap()) {
    reader.invalid(check, "Input should be a valid dictionary");
  }
  std::vector<std::string> types;
  for (const std::string_view type : {"exec", "http", "tcp"}) {
    if (check.value[std::string(type)].IsDefined()) {
      types.emplace_back(type);
    }
  }
  if (types.empty()) {
    reader.fail(reader.key_at(check), "Must specify exactly one of http, tcp, exec for each check.",
                "Add one of 'http: {url: ...}', 'tcp: {port: ...}' or 'exec: {command: ...}'.");
  }
  if (types.size() > 1) {
    std::string list;
    for (const auto& type : types) {
      list += (list.empty() ? "" : ", ") + type;
    }
    reader.fail(
        reader.key_at(check),
        "Multiple check types specified (" + list + "). Each check must have exactly one type.",
        "Split it into one check per type.");
  }
  const std::string& type = types.front();
  std::vector<std::string_view> keys{"override", "level", "period", "timeout", "threshold"};
  keys.push_back(type);
  const Model model = pebble_model(reader, check, keys, "Check");
  reader.choice(reader.require(model, check, "override"), kOverrides);
  if (const Field* level = model.given("level")) {
    reader.choice(*level, kCheckLevels);
  }
  (void)reader.optional_string(model.get("period"));
  (void)reader.optional_string(model.get("timeout"));
  if (const Field* threshold = model.given("threshold")) {
    if (reader.integer(*threshold) < 1) {
      reader.invalid(*threshold, "Input should be greater than or equal to 1");
    }
  }
  const Field& options = reader.require(model, check, type);
  if (type == "http") {
    const Model http = pebble_model(reader, options, kHttpKeys, "HttpCheckOptions");
    const Field& url = reader.require(http, options, "url");
    const auto problem =
        url_problem(reader.string(url), std::array<std::string_view, 2>{"http", "https"});
    if (!problem.empty()) {
      reader.invalid(url, problem, "Give an http:// or https:// URL.");
    }
    if (const Field* headers = http.given("headers")) {
      (void)reader.string_map(*headers);
    }
  } else if (type == "tcp") {
    const Model tcp = pebble_model(reader, options, kTcpKeys, "TcpCheckOptions");
    const Field& port = reader.require(tcp, options, "port");
    const std::int64_t number = reader.integer(port);
    if (number < 1) {
      reader.invalid(port, "Input should be greater than or equal to 1");
    }
    if (number > 65535) {
      reader.invalid(port, "Input should be less than or equal to 65535");
    }
    (void)reader.optional_string(tcp.get("host"));
  } else {
    const Model exec = pebble_model(reader, options, kExecKeys, "ExecCheckOptions");
    (void)reader.string(reader.require(exec, options, "command"));
    for (const std::string_view name : {"service-context", "user", "group", "working-dir"}) {
      (void)reader.optional_string(exec.get(name));
    }
    if (const Field* environment = exec.given("environment")) {
      (void)reader.string_map(*environment);
    }
    for (const std::string_view name : {"user-id", "group-id"}) {
      if (const Field* id = exec.given(name)) {
        if (reader.integer(*id) < 0) {
          reader.invalid(*id, "Input should be greater than or equal to 0");
        }
      }
    }
  }
}

}  // namespace

void check_pebble_services(const Reader& reader, const Field& field) {
  for (const auto& entry : reader.entries(field)) {
    check_service(reader, entry.field);
  }
}

void check_pebble_checks(const Reader& reader, const Field& field) {
  for (const auto& entry : reader.entries(field)) {
    check_check(reader, entry.field);
  }
}

}  // namespace gantry::rock_pack::detail
