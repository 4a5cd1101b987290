#pragma once

#include <filesystem>
#include <string>

#include "gantry/sdk/error.hpp"

namespace gantry::host {

/// A plugin library that cannot be used; the message names the file.
class PluginError : public Error {
 public:
  PluginError(const std::filesystem::path& file, const std::string& problem,
              std::string resolution = {})
      : Error(file.string() + ": " + problem, std::move(resolution)), file_(file) {}

  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace gantry::host
