#include "pipeline/expression.hpp"

#include <optional>

#include "pipeline/identifier.hpp"

namespace gantry::host {
namespace {

/// `steps.STEP.outputs.NAME`, with blanks around it allowed: the step and output names.
std::optional<std::pair<std::string, std::string>> output_reference(std::string_view inner) {
  constexpr std::string_view kBlanks = " \t\n\v\f\r";
  const auto first = inner.find_first_not_of(kBlanks);
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  inner = inner.substr(first, inner.find_last_not_of(kBlanks) + 1 - first);
  constexpr std::string_view kSteps = "steps.";
  constexpr std::string_view kOutputs = ".outputs.";
  if (!inner.starts_with(kSteps)) {
    return std::nullopt;
  }
  inner.remove_prefix(kSteps.size());
  const auto middle = inner.find(kOutputs);
  if (middle == std::string_view::npos) {
    return std::nullopt;
  }
  const auto step = inner.substr(0, middle);
  const auto output = inner.substr(middle + kOutputs.size());
  if (!is_identifier(step) || !is_identifier(output)) {
    return std::nullopt;
  }
  return std::pair{std::string(step), std::string(output)};
}

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
    const std::string_view inner = text.substr(open + 3, close - open - 3);
    const auto reference = output_reference(inner);
    if (!reference) {
      throw ExpressionError("unsupported expression '${{" + std::string(inner) + "}}'", open);
    }
    references.push_back({reference->first, reference->second, open, close + 2 - open});
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
