#include "extensions/extension_merge.hpp"

#include <set>
#include <string>

#include "yaml_reader.hpp"

namespace gantry::rock_pack {
namespace {

/// Python's truth value of what PyYAML would load.
bool truthy(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) {
    return false;
  }
  if (node.IsSequence() || node.IsMap()) {
    return node.size() > 0;
  }
  const std::string& text = node.Scalar();
  switch (detail::scalar_kind(node)) {
    case detail::ScalarKind::kNull:
      return false;
    case detail::ScalarKind::kBool:
      return text == "true" || text == "True" || text == "TRUE" || text == "yes" || text == "Yes" ||
             text == "YES" || text == "on" || text == "On" || text == "ON";
    case detail::ScalarKind::kInt:
    case detail::ScalarKind::kFloat:
      return text.find_first_not_of("+-0._:") != std::string::npos;
    case detail::ScalarKind::kString:
      return !text.empty();
  }
  return true;
}

bool is_string(const YAML::Node& node) {
  return node.IsScalar() && detail::scalar_kind(node) == detail::ScalarKind::kString;
}

}  // namespace

YAML::Node merge_property(const YAML::Node& existing, const YAML::Node& extension) {
  if (!truthy(existing)) {
    return extension;
  }
  if (existing.IsSequence() && extension.IsSequence()) {
    YAML::Node merged(YAML::NodeType::Sequence);
    bool strings = true;
    for (const auto& list : {extension, existing}) {
      for (const auto& item : list) {
        strings = strings && is_string(item);
      }
    }
    std::set<std::string> seen;
    for (const auto& list : {extension, existing}) {
      for (const auto& item : list) {
        if (!strings || seen.insert(item.Scalar()).second) {
          merged.push_back(item);
        }
      }
    }
    return merged;
  }
  if (existing.IsMap() && extension.IsMap()) {
    YAML::Node merged = existing;
    for (const auto& entry : extension) {
      const std::string key = entry.first.Scalar();
      merged[key] = merge_property(existing[key], entry.second);
    }
    return merged;
  }
  return existing;
}

void merge_root_snippet(YAML::Node& project, const YAML::Node& snippet) {
  for (const auto& entry : snippet) {
    std::string key = entry.first.Scalar();
    if (key == "run-user" && !project["run-user"] && project["run_user"]) {
      key = "run_user";
    }
    project[key] = merge_property(project[key], entry.second);
  }
}

}  // namespace gantry::rock_pack
