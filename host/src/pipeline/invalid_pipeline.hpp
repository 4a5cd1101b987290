#pragma once

#include <string>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::host {

/// One mistake in a pipeline, where it is, and what to do about it.
struct Problem {
  SourcePosition position{};
  std::string message{};
  std::string hint{};

  /// "file:line:column: message".
  [[nodiscard]] std::string to_string() const;
};

/// Every mistake found in a pipeline before anything ran, in file order.
class InvalidPipeline : public Error {
 public:
  explicit InvalidPipeline(std::vector<Problem> problems);

  [[nodiscard]] const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::vector<Problem> problems_;
};

}  // namespace gantry::host
