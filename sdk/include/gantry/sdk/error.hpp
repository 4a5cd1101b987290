#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace gantry {

/// Where something is in a user's file; line and column are 1-based, 0 when unknown.
struct SourcePosition {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  /// "file:line:column", or as much of it as is known.
  [[nodiscard]] std::string to_string() const;
};

/// A failure a user can act on: what went wrong, and what to do about it.
/// The root of gantry's exception family; thrown inside a step or the host and caught
/// at the step boundary or in main, never across the plugin ABI.
class Error : public std::runtime_error {
 public:
  explicit Error(std::string message, std::string resolution = {});

  /// What the user should do next; may be empty.
  [[nodiscard]] const std::string& resolution() const { return resolution_; }

 private:
  std::string resolution_;
};

/// A mistake in user configuration (a pipeline file, a parameter), with its position.
class ConfigError : public Error {
 public:
  ConfigError(SourcePosition position, std::string message, std::string resolution = {});

  [[nodiscard]] const SourcePosition& position() const { return position_; }

 private:
  SourcePosition position_;
};

/// Thrown by Context::throw_if_cancelled: the run stops and reports "cancelled".
class Cancelled : public Error {
 public:
  Cancelled();
};

}  // namespace gantry
