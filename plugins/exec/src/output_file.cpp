#include "output_file.hpp"

#include <fstream>
#include <sstream>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::exec {
namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace

std::map<std::string, std::string> parse_outputs(std::string_view text,
                                                 std::string_view file_name) {
  std::map<std::string, std::string> outputs;
  const auto lines = split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.empty()) {
      continue;
    }
    const SourcePosition where{std::string(file_name), static_cast<std::uint32_t>(i + 1), 0};
    const auto heredoc = line.find("<<");
    const auto equals = line.find('=');
    if (heredoc != std::string_view::npos &&
        (equals == std::string_view::npos || heredoc < equals)) {
      const std::string name(line.substr(0, heredoc));
      const std::string_view delimiter = line.substr(heredoc + 2);
      if (name.empty() || delimiter.empty()) {
        throw ConfigError(where, "malformed output line '" + std::string(line) + "'",
                          "Write `name<<DELIMITER`, the value's lines, then DELIMITER alone.");
      }
      std::string value;
      std::size_t j = i + 1;
      for (; j < lines.size() && lines[j] != delimiter; ++j) {
        value += (j == i + 1 ? "" : "\n") + std::string(lines[j]);
      }
      if (j == lines.size()) {
        throw ConfigError(
            where, "output '" + name + "' is never closed by '" + std::string(delimiter) + "'",
            "End the value with a line that is exactly the delimiter.");
      }
      outputs[name] = value;
      i = j;
    } else if (equals != std::string_view::npos && equals > 0) {
      outputs[std::string(line.substr(0, equals))] = std::string(line.substr(equals + 1));
    } else {
      throw ConfigError(where, "malformed output line '" + std::string(line) + "'",
                        "Append lines of the form name=value to $GANTRY_OUTPUT.");
    }
  }
  return outputs;
}

std::map<std::string, std::string> read_outputs(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_outputs(text.str(), "$GANTRY_OUTPUT");
}

}  // namespace gantry::exec
