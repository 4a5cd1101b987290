#include "env_contract.hpp"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>

#include "gantry/sdk/error.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;

std::string upper_snake(std::string text) {
  for (auto& c : text) {
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

std::string snake(std::string text) {
  std::replace(text.begin(), text.end(), '-', '_');
  return text;
}

/// The variable a framework option sets (paas-charm's framework config models).
OptionMapping framework_option(const Framework& f, const ConfigOption& option) {
  OptionMapping out{option.name, "", "framework setting", false};
  const std::string& name = option.name;
  if ((f.framework == "flask" || f.framework == "django") && name.starts_with("webserver-")) {
    out.note = "gunicorn setting " + snake(name.substr(10)) + ", not an environment variable";
    return out;
  }
  static const std::map<std::string, std::map<std::string, std::string>> kFixed{
      {"fastapi",
       {{"webserver-workers", "WEB_CONCURRENCY"},
        {"webserver-port", "UVICORN_PORT"},
        {"webserver-log-level", "UVICORN_LOG_LEVEL"},
        {"metrics-port", "METRICS_PORT"},
        {"metrics-path", "METRICS_PATH"},
        {"app-secret-key", "APP_SECRET_KEY"},
        {"app-secret-key-id", "APP_SECRET_KEY"}}},
      {"go",
       {{"app-port", "APP_PORT"},
        {"metrics-port", "APP_METRICS_PORT"},
        {"metrics-path", "APP_METRICS_PATH"},
        {"app-secret-key", "APP_SECRET_KEY"},
        {"app-secret-key-id", "APP_SECRET_KEY"}}}};
  if (const auto fixed = kFixed.find(f.framework); fixed != kFixed.end()) {
    const auto found = fixed->second.find(name);
    out.variable = found != fixed->second.end() ? found->second : "";
  } else {
    std::string rest = name.substr(f.framework.size() + 1);
    if (rest.ends_with("-id") && option.type == "secret") {
      rest = rest.substr(0, rest.size() - 3);  // the secret's value becomes the key itself
      out.note = "framework setting, from the secret's 'value'";
    }
    out.variable = f.framework_prefix + upper_snake(rest);
  }
  return out;
}

}  // namespace

EnvContract env_contract(const CharmProject& project) {
  EnvContract contract;
  if (project.framework == nullptr) {
    return contract;
  }
  const Framework& f = *project.framework;
  std::map<std::string, std::string> variables;  // variable -> option
  for (const auto& option : project.options) {
    if (f.options[option.name]) {
      contract.options.push_back(framework_option(f, option));
      continue;
    }
    OptionMapping mapping{option.name, "", "", false};
    const std::string key = snake(option.name);
    std::string reserved;
    for (const std::string& prefix :
         {f.framework + "-", std::string("webserver-"), std::string("app-")}) {
      if (option.name.starts_with(prefix)) {
        reserved = prefix;
      }
    }
    if (!reserved.empty()) {
      mapping.dropped = true;
      mapping.note = "dropped: paas-charm ignores options starting with '" + reserved + "'";
      contract.warnings.push_back(
          "config option '" + option.name + "' starts with '" + reserved +
          "', which paas-charm reserves: the workload gets no variable for it. Rename it.");
    } else if (std::find(f.framework_fields.begin(), f.framework_fields.end(), key) !=
               f.framework_fields.end()) {
      mapping.dropped = true;
      mapping.note = "dropped: the name of a " + f.framework + " framework setting";
      contract.warnings.push_back(
          "config option '" + option.name + "' has the name of the " + f.framework +
          " framework setting '" + key +
          "': paas-charm drops it silently, and the workload never sees its value. Rename it.");
    } else {
      mapping.variable = f.user_prefix + upper_snake(option.name);
      if (option.type == "secret") {
        mapping.note =
            "secret: one variable per key of the secret's content, " + mapping.variable + "_<KEY>";
        mapping.variable += "_<KEY>";
      } else if (option.type == "string") {
        mapping.note = "string";
      } else {
        mapping.note = option.type + ", JSON-encoded";
      }
      const std::string base = f.user_prefix + upper_snake(option.name);
      if (const auto clash = variables.find(base); clash != variables.end()) {
        throw ConfigError(option.position,
                          "config options '" + clash->second + "' and '" + option.name +
                              "' both become the environment variable " + base,
                          "paas-charm maps '-' to '_' and upper-cases names: rename one of them.");
      }
      variables[base] = option.name;
      if (base == f.user_prefix + "BASE_URL" || base == f.user_prefix + "PEER_FQDNS" ||
          (base == f.user_prefix + "SECRET_KEY")) {
        contract.warnings.push_back("config option '" + option.name + "' becomes " + base +
                                    ", which paas-charm sets itself: the workload never sees "
                                    "the option's value. Rename it.");
        mapping.note += "; overwritten by paas-charm";
      }
    }
    contract.options.push_back(std::move(mapping));
  }
  contract.always_set = {f.user_prefix + "BASE_URL", f.user_prefix + "SECRET_KEY",
                         f.user_prefix + "PEER_FQDNS (with several units)"};
  return contract;
}

std::string format_contract(const EnvContract& contract) {
  std::size_t width = 0;
  for (const auto& option : contract.options) {
    width = std::max(width, option.option.size());
  }
  std::string out;
  for (const auto& option : contract.options) {
    out += option.option + std::string(width - option.option.size(), ' ') + " -> " +
           (option.variable.empty() ? "(no variable)" : option.variable) + " (" + option.note +
           ")\n";
  }
  if (!contract.always_set.empty()) {
    std::string joined;
    for (const auto& variable : contract.always_set) {
      joined += (joined.empty() ? "" : ", ") + variable;
    }
    out += "paas-charm also sets: " + joined + "\n";
  }
  return out;
}

std::vector<std::string> migration_warnings(const CharmProject& project) {
  std::vector<std::string> warnings;
  if (project.framework == nullptr) {
    return warnings;
  }
  const fs::path app_root = project.dir.parent_path();
  const fs::path rockcraft = app_root / "rockcraft.yaml";
  if (!fs::exists(rockcraft)) {
    return warnings;
  }
  const Framework& f = *project.framework;
  const std::string app_dir =
      f.framework == "flask" || f.framework == "django" ? f.framework + "/app" : "app";
  YAML::Node prime;
  bool has_prime = false;
  try {
    const YAML::Node rock = YAML::LoadFile(rockcraft.string());
    const YAML::Node part =
        rock["parts"] ? rock["parts"][f.extension + "/install-app"] : YAML::Node();
    if (part && part["prime"] && part["prime"].IsSequence()) {
      prime.reset(part["prime"]);
      has_prime = true;
    }
  } catch (const YAML::Exception&) {
    return warnings;  // rock-pack reports rockcraft.yaml's own mistakes
  }
  for (const char* name : {"migrate", "migrate.sh", "migrate.py"}) {
    const fs::path file = app_root / name;
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0 || !S_ISREG(status.st_mode)) {
      continue;
    }
    const std::string in_rock = "/" + app_dir + "/" + name;
    if (std::string(name) == "migrate" && (status.st_mode & 0111) == 0) {
      warnings.push_back("migrate is not executable: paas-charm runs " + in_rock +
                         " directly, and the migration will fail. Run `chmod +x migrate`.");
    }
    if (has_prime) {
      bool listed = false;
      for (const auto& entry : prime) {
        const std::string path = entry.IsScalar() ? entry.Scalar() : "";
        listed = listed || path == app_dir + "/" + name || path == "-" + app_dir + "/" + name;
        if (path == "-" + app_dir + "/" + name) {
          listed = false;
        }
      }
      if (!listed) {
        warnings.push_back(std::string(name) + " exists but the prime list of the " + f.extension +
                           "/install-app part in rockcraft.yaml leaves it out: it will not reach " +
                           in_rock + ", and paas-charm will run no migration. Add " + app_dir +
                           "/" + name + " to that list.");
      }
    }
  }
  return warnings;
}

}  // namespace gantry::charm_pack
