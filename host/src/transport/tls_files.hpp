#pragma once

#include <filesystem>
#include <string>

namespace gantry::host {

/// The whole of a PEM file given on the command line. Throws gantry::Error naming the
/// option when it cannot be read.
[[nodiscard]] std::string read_pem(const std::filesystem::path& file, const char* option);

}  // namespace gantry::host
