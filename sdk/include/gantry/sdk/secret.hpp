#pragma once

#include <ostream>
#include <string>

namespace gantry::sdk {

/// A parameter value that must never be logged. Printing it prints "****";
/// reveal() is the one explicit way to read it.
class Secret {
 public:
  explicit Secret(std::string value) : value_(std::move(value)) {}

  /// The secret itself, for the one place that needs it (an HTTP header, a child's env).
  [[nodiscard]] const std::string& reveal() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }

  friend std::ostream& operator<<(std::ostream& out, const Secret& /*secret*/) {
    return out << "****";
  }

 private:
  std::string value_;
};

}  // namespace gantry::sdk
