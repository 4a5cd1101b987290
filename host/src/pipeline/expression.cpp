#include "pipeline/expression.hpp"

#include <regex>

namespace gantry::host {
namespace {

const std::regex kOutputReference(
    R"(^\s*steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*$)");

}  // namespace

std::vector<OutputReference> find_references(std::string_view text) {
  std::vector<OutputReference> references;
  std::size_t from = 0;
  while (true) {
    const auto open = text.find("${{", from);
    if (open == std::string_view::npos) {
      return references;
    }
    const auto close = text.find("}}", open + 3);
    if (close == std::string_view::npos) {
      throw ExpressionError("'${{' is never closed by '}}'", open);
    }
    const std::string inner(text.substr(open + 3, close - open - 3));
    std::smatch match;
    if (!std::regex_match(inner, match, kOutputReference)) {
      throw ExpressionError("unsupported expression '${{" + inner + "}}'", open);
    }
    references.push_back({match[1].str(), match[2].str(), open, close + 2 - open});
    from = close + 2;
  }
}

std::string substitute(std::string_view text,
                       const std::function<std::string(const OutputReference&)>& lookup) {
  std::string result;
  std::size_t copied = 0;
  for (const auto& reference : find_references(text)) {
    result.append(text.substr(copied, reference.offset - copied));
    result += lookup(reference);
    copied = reference.offset + reference.length;
  }
  result.append(text.substr(copied));
  return result;
}

}  // namespace gantry::host
