#include "gantry/sdk/error.hpp"

#include <utility>

namespace gantry {

std::string SourcePosition::to_string() const {
  std::string text = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    text += ":" + std::to_string(line);
    if (column > 0) {
      text += ":" + std::to_string(column);
    }
  }
  return text;
}

Error::Error(std::string message, std::string resolution)
    : std::runtime_error(std::move(message)), resolution_(std::move(resolution)) {}

ConfigError::ConfigError(SourcePosition position, std::string message, std::string resolution)
    : Error(std::move(message), std::move(resolution)), position_(std::move(position)) {}

Cancelled::Cancelled() : Error("cancelled") {}

}  // namespace gantry
