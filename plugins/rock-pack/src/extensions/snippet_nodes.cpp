#include "extensions/snippet_nodes.hpp"

namespace gantry::rock_pack::snippet {

YAML::Node text(std::string_view value) {
  YAML::Node node{std::string(value)};
  node.SetTag("!");
  return node;
}

YAML::Node number(long long value) {
  YAML::Node node{std::to_string(value)};
  node.SetTag("?");
  return node;
}

YAML::Node list(std::initializer_list<YAML::Node> items) {
  YAML::Node node(YAML::NodeType::Sequence);
  for (const auto& item : items) {
    node.push_back(item);
  }
  return node;
}

YAML::Node texts(const std::vector<std::string>& items) {
  YAML::Node node(YAML::NodeType::Sequence);
  for (const auto& item : items) {
    node.push_back(text(item));
  }
  return node;
}

YAML::Node map() { return YAML::Node(YAML::NodeType::Map); }

}  // namespace gantry::rock_pack::snippet
