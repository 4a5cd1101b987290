#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace gantry::exec {

/// Parses what a command wrote to $GANTRY_OUTPUT, in GitHub Actions' $GITHUB_OUTPUT
/// format: `name=value` lines, and `name<<DELIMITER` followed by lines up to a line
/// that is exactly DELIMITER, for multi-line values. A later value for a name wins.
/// Throws gantry::Error naming the file and line for a malformed line.
[[nodiscard]] std::map<std::string, std::string> parse_outputs(std::string_view text,
                                                               std::string_view file_name);

/// Reads and parses the file; a missing file means no outputs.
[[nodiscard]] std::map<std::string, std::string> read_outputs(const std::filesystem::path& file);

}  // namespace gantry::exec
