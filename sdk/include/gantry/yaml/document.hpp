// One YAML document from outside input, with bounds on what its aliases make it cost.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace gantry::yaml {

/// How much one document may hold once every alias is expanded: a 1 MB string anchored
/// once and used 5000 times is 5 GB to whoever walks the tree.
struct DocumentLimits {
  std::size_t max_expanded_bytes = std::size_t{16} << 20;
  std::size_t max_nodes = 200'000;
};

/// Why a document that parsed is refused: a second document, or past its limits. A
/// YAML::Exception, so that callers report it, at its mark, as they report syntax errors.
class DocumentRefused : public YAML::Exception {
 public:
  DocumentRefused(const YAML::Mark& where, const std::string& message)
      : YAML::Exception(where, message) {}
};

/// Parses `text` as exactly one YAML document (empty text is a null node). Throws
/// YAML::Exception for syntax errors and DocumentRefused for a second document or a
/// document past `limits`.
[[nodiscard]] YAML::Node load_document(std::string_view text, const DocumentLimits& limits = {});

/// Throws DocumentRefused when `root`, aliases expanded, passes `limits`. Stops counting
/// there, so it costs at most `limits` whatever the document.
void check_document_size(const YAML::Node& root, const DocumentLimits& limits = {});

}  // namespace gantry::yaml
