#include "extensions.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "gantry/yaml/scalar.hpp"

namespace gantry::charm_pack {
namespace {

using yaml::Field;
using yaml::Reader;

/// A scalar PyYAML loads as a string even when it looks like a number ('2').
YAML::Node quoted(const std::string& text) {
  YAML::Node node(text);
  node.SetTag("!");
  return node;
}

bool is_empty(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) {
    return true;
  }
  if (node.IsMap() || node.IsSequence()) {
    return node.size() == 0;
  }
  return yaml::scalar_kind(node) == yaml::ScalarKind::kString && node.Scalar().empty();
}

/// charmcraft's _apply_extension_property.
YAML::Node merge(YAML::Node user, const YAML::Node& extension) {
  if (is_empty(user)) {
    return YAML::Clone(extension);
  }
  if (user.IsMap() && extension.IsMap()) {
    for (const auto& item : extension) {
      const std::string key = item.first.Scalar();
      user[key] = merge(user[key], item.second);
    }
    return user;
  }
  if (user.IsSequence() && extension.IsSequence()) {
    YAML::Node merged(YAML::NodeType::Sequence);
    bool all_strings = true;
    for (const YAML::Node* list : {&extension, static_cast<const YAML::Node*>(&user)}) {
      for (const auto& item : *list) {
        merged.push_back(YAML::Clone(item));
        all_strings =
            all_strings && item.IsScalar() && yaml::scalar_kind(item) == yaml::ScalarKind::kString;
      }
    }
    if (!all_strings) {
      return merged;
    }
    YAML::Node unique(YAML::NodeType::Sequence);
    std::set<std::string> seen;
    for (const auto& item : merged) {
      if (seen.insert(item.Scalar()).second) {
        unique.push_back(item);
      }
    }
    return unique;
  }
  return user;
}

YAML::Node nested(const YAML::Node& node, std::initializer_list<const char*> path) {
  YAML::Node current = node;
  for (const char* key : path) {
    // Const lookups: a non-const operator[] would add the key to the user's document.
    if (!current.IsMap() || !std::as_const(current)[key]) {
      return YAML::Node();
    }
    current.reset(std::as_const(current)[key]);  // `=` would overwrite what `current` is
  }
  return current;
}

/// The node of `key` in the mapping (for positions), or an undefined node.
YAML::Node key_node(const YAML::Node& map, const std::string& key) {
  if (map.IsMap()) {
    for (const auto& item : map) {
      if (item.first.Scalar() == key) {
        return item.first;
      }
    }
  }
  return YAML::Node();
}

YAML::Node root_snippet(const Framework& framework, const YAML::Node& document) {
  YAML::Node snippet(YAML::NodeType::Map);
  snippet["assumes"].push_back("k8s-api");
  snippet["containers"][framework.container]["resource"] = framework.image;
  snippet["resources"][framework.image]["type"] = "oci-image";
  snippet["resources"][framework.image]["description"] =
      framework.framework + " application image.";
  snippet["charm-libs"] = twelve_factor_charm_libs();
  snippet["peers"]["secret-storage"]["interface"] = "secret-storage";
  snippet["actions"] = YAML::Clone(framework.actions);
  snippet["requires"]["logging"]["interface"] = "loki_push_api";
  snippet["requires"]["ingress"]["interface"] = "ingress";
  snippet["requires"]["ingress"]["limit"] = 1;
  snippet["provides"]["metrics-endpoint"]["interface"] = "prometheus_scrape";
  snippet["provides"]["grafana-dashboard"]["interface"] = "grafana_dashboard";
  YAML::Node options = YAML::Clone(framework.options);
  // charmcraft 4.0+: an `oauth` endpoint brings its redirect path and scopes options.
  const YAML::Node requires_node = nested(document, {"requires"});
  if (requires_node.IsMap()) {
    for (const auto& endpoint : requires_node) {
      if (endpoint.second.IsMap() && endpoint.second["interface"] &&
          endpoint.second["interface"].IsScalar() &&
          endpoint.second["interface"].Scalar() == "oauth") {
        const std::string name = endpoint.first.Scalar();
        YAML::Node redirect(YAML::NodeType::Map);
        redirect["type"] = "string";
        redirect["description"] =
            "The path that the user will be redirected upon completing login.";
        redirect["default"] = "/callback";
        options[name + "-redirect-path"] = redirect;
        YAML::Node scopes(YAML::NodeType::Map);
        scopes["type"] = "string";
        scopes["description"] = "A list of scopes with spaces in between.";
        scopes["default"] = "openid profile email";
        options[name + "-scopes"] = scopes;
      }
    }
  }
  snippet["config"]["options"] = options;
  YAML::Node part(YAML::NodeType::Map);
  part["plugin"] = "charm";
  part["source"] = ".";
  part["build-snaps"].push_back("rustup");  // charmcraft: "Needed to build pydantic."
  part["override-build"] = "rustup default stable\ncraftctl default";
  snippet["parts"]["charm"] = part;
  return snippet;
}

std::string python_set(const std::vector<std::string>& names) {
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : ", ") + yaml::py_repr(names[i]);
  }
  return out + "}";
}

class Checks {
 public:
  Checks(const Framework& framework, const YAML::Node& document, const Reader& reader,
         const std::filesystem::path& project_dir, const YAML::Node& extensions_key)
      : f_(framework),
        doc_(document),
        reader_(reader),
        dir_(project_dir),
        extensions_key_(extensions_key) {}

  void run() {
    check_bases();
    const YAML::Node type = doc_["type"];
    const std::string type_text = type && type.IsScalar() ? type.Scalar() : "";
    if (type_text != "charm") {
      refuse(type ? type : extensions_key_,
             "the '" + f_.extension + "' extension is incompatible with type " +
                 (type && type.IsScalar() ? yaml::py_repr(type_text) : std::string("None")));
    }
    check_cos_custom();
    const YAML::Node parts = doc_["parts"];
    if (parts && parts.IsMap() && parts["charm"]) {
      refuse(key_node(parts, "charm"),
             "the '" + f_.extension + "' extension is incompatible with customized charm part",
             "Remove the 'charm' part: the extension adds it. Other parts are kept.");
    }
    std::vector<std::string> incompatible;
    for (const char* key : {"devices", "extra-bindings", "storage"}) {
      if (doc_[key]) {
        incompatible.push_back(key);
      }
    }
    if (!incompatible.empty()) {
      std::string joined;
      for (const auto& key : incompatible) {
        joined += (joined.empty() ? "" : ", ") + key;
      }
      refuse(key_node(doc_, incompatible.front()),
             "the '" + f_.extension +
                 "' extension is incompatible with the provided field(s): " + joined);
    }
    const YAML::Node snippet = root_snippet(f_, doc_);
    for (const char* key : {"assumes", "containers", "resources", "peers"}) {
      if (doc_[key] && !yaml::same_data(doc_[key], snippet[key])) {
        refuse(key_node(doc_, key), yaml::py_repr(key) +
                                        " in charmcraft.yaml conflicts with a reserved field in "
                                        "the " +
                                        f_.extension + " extension, please remove it.");
      }
    }
    for (const auto& path : std::vector<std::vector<const char*>>{
             {"actions"}, {"requires"}, {"provides"}, {"config", "options"}}) {
      const YAML::Node user =
          path.size() == 1 ? nested(doc_, {path[0]}) : nested(doc_, {path[0], path[1]});
      const YAML::Node ours =
          path.size() == 1 ? nested(snippet, {path[0]}) : nested(snippet, {path[0], path[1]});
      if (!user.IsMap() || !ours.IsMap()) {
        continue;
      }
      std::vector<std::string> overlap;
      YAML::Node first;
      for (const auto& item : user) {
        if (ours[item.first.Scalar()]) {
          overlap.push_back(item.first.Scalar());
          if (first.Mark().is_null()) {
            first.reset(item.first);
          }
        }
      }
      std::sort(overlap.begin(), overlap.end());
      if (!overlap.empty()) {
        const std::string dotted =
            path.size() == 1 ? std::string(path[0]) : std::string(path[0]) + "." + path[1];
        refuse(first, "overlapping keys " + python_set(overlap) + " in " + dotted +
                          " of charmcraft.yaml which conflict with the " + f_.extension +
                          " extension, please rename or remove it");
      }
    }
    const YAML::Node options = nested(doc_, {"config", "options"});
    if (options.IsMap()) {
      std::vector<std::string> non_optional_defaults;
      for (const auto& item : options) {
        const std::string name = item.first.Scalar();
        for (const std::string& prefix : {std::string("webserver-"), f_.framework + "-"}) {
          if (name.starts_with(prefix)) {
            refuse(item.first, "config.options " + yaml::py_repr(name) + " starts with " +
                                   f_.extension + " reserved configuration prefix " +
                                   yaml::py_repr(prefix) + ", please rename or remove it");
          }
        }
        const YAML::Node spec = item.second;
        if (spec.IsMap() && spec["optional"] &&
            yaml::scalar_kind(spec["optional"]) == yaml::ScalarKind::kBool &&
            !yaml::bool_value(spec["optional"].Scalar()) && truthy(spec["default"])) {
          non_optional_defaults.push_back(name);
        }
      }
      if (!non_optional_defaults.empty()) {
        std::string joined;
        for (const auto& name : non_optional_defaults) {
          joined += (joined.empty() ? "" : ", ") + name;
        }
        refuse(key_node(options, non_optional_defaults.front()),
               "Non-optional configuration options can not have default values.\nPlease either "
               "remove the default value or set optional field to true or remove it for the " +
                   joined + " configuration option(s).");
      }
    }
  }

 private:
  static bool truthy(const YAML::Node& node) {
    if (is_empty(node)) {
      return false;
    }
    if (!node.IsScalar()) {
      return true;
    }
    switch (yaml::scalar_kind(node)) {
      case yaml::ScalarKind::kBool:
        return yaml::bool_value(node.Scalar());
      case yaml::ScalarKind::kInt:
      case yaml::ScalarKind::kFloat:
        return node.Scalar().find_first_not_of("+-0._") != std::string::npos;
      default:
        return true;
    }
  }

  void check_bases() {
    const auto bases = project_bases(doc_);
    std::vector<std::string> unsupported;
    for (const auto& base : bases) {
      const auto at = base.find('@');
      const std::string name = base.substr(0, at);
      const std::string channel = at == std::string::npos ? "" : base.substr(at + 1);
      if (name != "ubuntu" ||
          std::find(f_.channels.begin(), f_.channels.end(), channel) == f_.channels.end()) {
        unsupported.push_back(base);
      }
    }
    if (!unsupported.empty()) {
      std::string joined;
      for (const auto& base : unsupported) {
        joined += (joined.empty() ? "" : ", ") + base;
      }
      std::string supported;
      for (const auto& channel : f_.channels) {
        supported += (supported.empty() ? "" : ", ") + ("ubuntu@" + channel);
      }
      refuse(doc_["base"] ? doc_["base"] : extensions_key_,
             "Extension " + yaml::py_repr(f_.extension) + " does not support base(s): " + joined,
             "Use one of its bases: " + supported + ".");
    }
    if (bases.size() > 1) {
      std::string joined;
      for (const auto& base : bases) {
        joined += (joined.empty() ? "" : ", ") + base;
      }
      refuse(extensions_key_, "Extension does not support multiple bases: " + joined,
             "Build the charm for one base.");
    }
  }

  void check_cos_custom() {
    const auto custom = dir_ / "cos_custom";
    std::error_code error;
    if (!std::filesystem::is_directory(custom, error)) {
      return;
    }
    std::vector<std::string> root_files;
    std::vector<std::string> invalid_dirs;
    for (const auto& entry : std::filesystem::directory_iterator(custom, error)) {
      const auto name = entry.path().filename().string();
      if (entry.is_regular_file()) {
        root_files.push_back(name);
      } else if (entry.is_directory() && name != "grafana_dashboards" &&
                 name != "loki_alert_rules" && name != "prometheus_alert_rules") {
        invalid_dirs.push_back(name);
      }
    }
    std::sort(root_files.begin(), root_files.end());
    std::sort(invalid_dirs.begin(), invalid_dirs.end());
    if (root_files.empty() && invalid_dirs.empty()) {
      return;
    }
    std::string details;
    const auto join = [](const std::vector<std::string>& names) {
      std::string out;
      for (const auto& name : names) {
        out += (out.empty() ? "" : ", ") + name;
      }
      return out;
    };
    if (!root_files.empty()) {
      details += "root files: " + join(root_files);
    }
    if (!invalid_dirs.empty()) {
      details += (details.empty() ? "" : "; ") + ("invalid subdirectories: " + join(invalid_dirs));
    }
    throw ConfigError({custom.string(), 0, 0},
                      "custom COS directory must only contain the following subdirectories: "
                      "{'grafana_dashboards', 'loki_alert_rules', 'prometheus_alert_rules'}. "
                      "Found " +
                          details,
                      "Move the files into one of those subdirectories.");
  }

  [[noreturn]] void refuse(const YAML::Node& where, const std::string& message,
                           std::string resolution = {}) const {
    reader_.fail(reader_.at(!where.Mark().is_null() ? where : extensions_key_), message,
                 resolution.empty() ? "See charmcraft's " + f_.extension + " extension reference."
                                    : std::move(resolution));
  }

  const Framework& f_;
  const YAML::Node& doc_;
  const Reader& reader_;
  std::filesystem::path dir_;
  YAML::Node extensions_key_;
};

void add_base(std::vector<std::string>& bases, const std::string& base) {
  if (!base.empty() && std::find(bases.begin(), bases.end(), base) == bases.end()) {
    bases.push_back(base);
  }
}

}  // namespace

YAML::Node twelve_factor_charm_libs() {
  YAML::Node libs(YAML::NodeType::Sequence);
  for (const auto& [lib, version] :
       std::vector<std::pair<std::string, std::string>>{{"traefik_k8s.ingress", "2"},
                                                        {"observability_libs.juju_topology", "0"},
                                                        {"grafana_k8s.grafana_dashboard", "0"},
                                                        {"loki_k8s.loki_push_api", "1"},
                                                        {"data_platform_libs.data_interfaces", "0"},
                                                        {"prometheus_k8s.prometheus_scrape", "0"},
                                                        {"redis_k8s.redis", "0"},
                                                        {"data_platform_libs.s3", "0"},
                                                        {"saml_integrator.saml", "0"},
                                                        {"tempo_coordinator_k8s.tracing", "0"},
                                                        {"smtp_integrator.smtp", "0"},
                                                        {"openfga_k8s.openfga", "1"},
                                                        {"hydra.oauth", "0"},
                                                        {"squid_forward_proxy.http_proxy", "0"}}) {
    YAML::Node entry(YAML::NodeType::Map);
    entry["lib"] = lib;
    entry["version"] = quoted(version);
    libs.push_back(entry);
  }
  return libs;
}

std::vector<std::string> project_bases(const YAML::Node& document) {
  std::vector<std::string> bases;
  const auto text = [](const YAML::Node& node) {
    return node && node.IsScalar() ? node.Scalar() : std::string();
  };
  add_base(bases, text(document["base"]));
  if (document["platforms"] && document["platforms"].IsMap()) {
    for (const auto& platform : document["platforms"]) {
      const std::string label = platform.first.Scalar();
      if (label.find(':') != std::string::npos) {
        add_base(bases, label.substr(0, label.find(':')));
      }
      if (platform.second.IsMap() && platform.second["build-for"] &&
          platform.second["build-for"].IsSequence()) {
        for (const auto& target : platform.second["build-for"]) {
          const std::string value = text(target);
          if (value.find(':') != std::string::npos) {
            add_base(bases, value.substr(0, value.find(':')));
          }
        }
      }
    }
  }
  if (document["bases"] && document["bases"].IsSequence()) {
    for (const auto& config : document["bases"]) {
      if (!config.IsMap()) {
        continue;
      }
      std::vector<YAML::Node> entries;
      if (config["name"]) {
        entries.push_back(config);
      }
      for (const char* key : {"build-on", "run-on"}) {
        if (config[key] && config[key].IsSequence()) {
          for (const auto& base : config[key]) {
            entries.push_back(base);
          }
        }
      }
      for (const auto& base : entries) {
        if (base.IsMap()) {
          add_base(bases, text(base["name"]) + "@" + text(base["channel"]));
        }
      }
    }
  }
  return bases;
}

const Framework* apply_extensions(YAML::Node& document, const Reader& reader,
                                  const std::filesystem::path& project_dir) {
  const YAML::Node& view = document;
  if (!document.IsMap() || !view["extensions"]) {
    return nullptr;
  }
  const YAML::Node extensions_key = key_node(document, "extensions");
  const Field field{extensions_key, view["extensions"], "extensions"};
  std::vector<std::string> names = reader.strings(field);
  document.remove("extensions");
  std::sort(names.begin(), names.end());
  const Framework* applied = nullptr;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const Framework* framework = find_framework(names[i]);
    if (framework == nullptr) {
      const auto known = known_extensions();
      const bool is_known = std::find(known.begin(), known.end(), names[i]) != known.end();
      std::string list;
      for (const auto& name : known) {
        list += (list.empty() ? "" : ", ") + name;
      }
      reader.fail(reader.at(reader.item(field, i)),
                  is_known ? "gantry charm-pack does not expand the extension " +
                                 yaml::py_repr(names[i]) + " yet"
                           : "Extension " + yaml::py_repr(names[i]) + " does not exist",
                  is_known ? "Use flask-framework, django-framework, fastapi-framework or "
                             "go-framework, or write the expansion out (charmcraft "
                             "expand-extensions)."
                           : "Registered extensions: " + list + ".");
    }
    if (applied != nullptr) {
      reader.fail(reader.at(reader.item(field, i)),
                  "the '" + framework->extension + "' extension cannot be combined with '" +
                      applied->extension + "'",
                  "Keep one 12-factor extension.");
    }
    Checks(*framework, document, reader, project_dir, extensions_key).run();
    const YAML::Node snippet = root_snippet(*framework, document);
    for (const auto& item : snippet) {
      const std::string key = item.first.Scalar();
      document[key] = merge(document[key], item.second);
    }
    applied = framework;
  }
  return applied;
}

}  // namespace gantry::charm_pack
