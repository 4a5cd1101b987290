#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::host {

/// `${{ steps.ID.outputs.NAME }}` inside a string: where it is and what it names.
struct OutputReference {
  std::string step;
  std::string output;
  std::size_t offset = 0;  ///< where `${{` starts in the string
  std::size_t length = 0;  ///< up to and including `}}`
};

/// A malformed expression; `offset` is where in the string it starts.
class ExpressionError : public Error {
 public:
  ExpressionError(std::string message, std::size_t offset)
      : Error(std::move(message), "Write an output reference as ${{ steps.ID.outputs.NAME }}."),
        offset_(offset) {}
  [[nodiscard]] std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

/// Every output reference in `text`, in order. Throws ExpressionError for an unclosed
/// `${{` or an expression that is not an output reference.
[[nodiscard]] std::vector<OutputReference> find_references(std::string_view text);

/// `text` with every reference replaced by what `lookup` returns for it.
[[nodiscard]] std::string substitute(
    std::string_view text, const std::function<std::string(const OutputReference&)>& lookup);

}  // namespace gantry::host
