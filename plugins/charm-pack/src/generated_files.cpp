#include "generated_files.hpp"

#include "gantry/yaml/pyyaml_emitter.hpp"

namespace gantry::charm_pack {
namespace {

using yaml::KeyOrder;

YAML::Node quoted(const std::string& text) {
  YAML::Node node(text);
  node.SetTag("!");
  return node;
}

}  // namespace

std::string dispatch_script(const std::string& entrypoint) {
  return "#!/bin/sh\n\nJUJU_DISPATCH_PATH=\"${JUJU_DISPATCH_PATH:-$0}\" PYTHONPATH=lib:venv \\\n"
         "  exec ./" +
         entrypoint + "\n";
}

std::string metadata_yaml(const CharmProject& project) {
  const YAML::Node& doc = project.document;
  YAML::Node out(YAML::NodeType::Map);
  out["name"] = doc["name"];
  if (doc["title"]) {
    out["display-name"] = doc["title"];
  }
  out["summary"] = doc["summary"];
  out["description"] = doc["description"];
  if (doc["links"] && doc["links"].IsMap()) {
    const YAML::Node links = doc["links"];
    for (const auto& [from, to] :
         std::initializer_list<std::pair<const char*, const char*>>{{"contact", "maintainers"},
                                                                    {"documentation", "docs"},
                                                                    {"issues", "issues"},
                                                                    {"source", "source"},
                                                                    {"website", "website"}}) {
      if (links[from]) {
        const YAML::Node value = links[from];
        if (value.IsScalar() && std::string(to) != "docs") {
          YAML::Node list(YAML::NodeType::Sequence);
          list.push_back(YAML::Clone(value));
          out[to] = list;
        } else {
          out[to] = YAML::Clone(value);
        }
      }
    }
  }
  for (const char* key :
       {"assumes", "charm-user", "containers", "devices", "extra-bindings", "peers", "provides",
        "requires", "resources", "storage", "subordinate", "terms"}) {
    if (doc[key] && !doc[key].IsNull()) {
      out[key] = doc[key];
    }
  }
  return yaml::dump_pyyaml(out, KeyOrder::kSorted);
}

std::string config_yaml(const CharmProject& project) {
  const YAML::Node config = project.document["config"];
  if (!config || config.IsNull() || (config.IsMap() && config.size() == 0)) {
    return {};
  }
  return yaml::dump_pyyaml(config, KeyOrder::kSorted);
}

std::string actions_yaml(const CharmProject& project) {
  const YAML::Node actions = project.document["actions"];
  if (!actions || actions.IsNull() || (actions.IsMap() && actions.size() == 0)) {
    return {};
  }
  return yaml::dump_pyyaml(actions, KeyOrder::kSorted);
}

std::string manifest_yaml(const BuildTarget& target, const Analysis& analysis,
                          const std::string& version, const std::string& started_at) {
  YAML::Node manifest(YAML::NodeType::Map);
  manifest["charmcraft-version"] = quoted(version);
  manifest["charmcraft-started-at"] = quoted(started_at);
  YAML::Node bases(YAML::NodeType::Sequence);
  for (const auto& base : target.bases) {
    YAML::Node entry(YAML::NodeType::Map);
    entry["name"] = quoted(base.name);
    entry["channel"] = quoted(base.channel);
    for (const auto& arch : base.architectures) {
      entry["architectures"].push_back(quoted(arch));
    }
    bases.push_back(entry);
  }
  manifest["bases"] = bases;
  YAML::Node language(YAML::NodeType::Map);
  language["name"] = "language";
  language["result"] = analysis.python ? "python" : "unknown";
  YAML::Node framework(YAML::NodeType::Map);
  framework["name"] = "framework";
  framework["result"] = analysis.operator_framework ? "operator" : "unknown";
  manifest["analysis"]["attributes"].push_back(language);
  manifest["analysis"]["attributes"].push_back(framework);
  return yaml::dump_pyyaml(manifest, KeyOrder::kAsGiven);
}

}  // namespace gantry::charm_pack
