#include "gantry/yaml/document.hpp"

#include <vector>

namespace gantry::yaml {
namespace {

std::string mebibytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

void check_document_size(const YAML::Node& root, const DocumentLimits& limits) {
  std::size_t nodes = 0;
  std::size_t bytes = 0;
  // An explicit stack: nesting is bounded by yaml-cpp's parser, but not this frame's size.
  std::vector<YAML::Node> pending{root};
  while (!pending.empty()) {
    const YAML::Node node = pending.back();
    pending.pop_back();
    if (++nodes > limits.max_nodes) {
      throw DocumentRefused(node.Mark(), "the document has more than " +
                                             std::to_string(limits.max_nodes) +
                                             " nodes once its aliases are expanded");
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        bytes += node.Scalar().size();
        if (bytes > limits.max_expanded_bytes) {
          throw DocumentRefused(node.Mark(), "the document is larger than " +
                                                 mebibytes(limits.max_expanded_bytes) +
                                                 " once its aliases are expanded");
        }
        break;
      case YAML::NodeType::Sequence:
        for (const auto& item : node) {
          pending.push_back(item);
        }
        break;
      case YAML::NodeType::Map:
        for (const auto& entry : node) {
          pending.push_back(entry.first);
          pending.push_back(entry.second);
        }
        break;
      default:
        break;
    }
  }
}

YAML::Node load_document(std::string_view text, const DocumentLimits& limits) {
  const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(text));
  if (documents.empty()) {
    return YAML::Node();
  }
  if (documents.size() > 1) {
    const YAML::Node& second = documents[1];
    throw DocumentRefused(second.Mark(), "a second YAML document: the file holds one document");
  }
  check_document_size(documents.front(), limits);
  return documents.front();
}

}  // namespace gantry::yaml
