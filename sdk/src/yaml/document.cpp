#include "gantry/yaml/document.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>
#include <vector>

namespace gantry::yaml {
namespace {

std::string mebibytes(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

/// What the parser reports of one document's root: where it starts, and whether it is a
/// bare null (an empty document, or yaml-cpp's reading of a token no node starts with).
class DocumentRoot final : public YAML::EventHandler {
 public:
  [[nodiscard]] const YAML::Mark& mark() const { return mark_; }
  [[nodiscard]] bool bare_null() const { return bare_null_; }

  void OnDocumentStart(const YAML::Mark& /*mark*/) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override { node(mark, true); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t /*anchor*/) override { node(mark, false); }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                const std::string& /*value*/) override {
    node(mark, false);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/,
                       YAML::anchor_t /*anchor*/, YAML::EmitterStyle::value /*style*/) override {
    node(mark, false);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t /*anchor*/,
                  YAML::EmitterStyle::value /*style*/) override {
    node(mark, false);
  }
  void OnMapEnd() override {}

 private:
  void node(const YAML::Mark& mark, bool null) {
    if (!seen_) {
      seen_ = true;
      mark_ = mark;
      bare_null_ = null;
    }
  }
  bool seen_ = false;
  bool bare_null_ = true;
  YAML::Mark mark_ = YAML::Mark::null_mark();
};

/// yaml-cpp 0.7 reads a ',' outside a flow collection as an empty document without moving
/// past it, so that every further document is the same one: YAML::LoadAll then collects
/// them until memory runs out (jbeder/yaml-cpp#1040; fixed upstream after 0.8.0 by #1318 and
/// #1319, Debian bookworm has 0.7.0). That root is refused here as the syntax error it is.
void refuse_stray_comma(const DocumentRoot& root, std::string_view text) {
  const auto at = static_cast<std::size_t>(root.mark().pos);
  if (root.bare_null() && at < text.size() && text[at] == ',') {
    throw YAML::ParserException(root.mark(), "a ',' outside a [list] or {mapping}");
  }
}

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
  const std::string owned(text);
  // Not YAML::LoadAll (see refuse_stray_comma): the documents are counted with a parser
  // asked for two at most, and the first is then built by YAML::Load, which reads one.
  std::istringstream stream(owned);
  YAML::Parser parser(stream);
  DocumentRoot first;
  if (!parser.HandleNextDocument(first)) {
    return YAML::Node();
  }
  refuse_stray_comma(first, owned);
  DocumentRoot second;
  if (parser.HandleNextDocument(second)) {
    refuse_stray_comma(second, owned);
    throw DocumentRefused(second.mark(), "a second YAML document: the file holds one document");
  }
  YAML::Node root = YAML::Load(owned);
  check_document_size(root, limits);
  return root;
}

}  // namespace gantry::yaml
