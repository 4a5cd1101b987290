#include "sanitizer_report.hpp"

#include <cstdlib>
#include <string_view>

#include "command.hpp"

namespace gantry::testing {
namespace {

/// The value of `log_path=` in a sanitizer options string (':'-separated), or "".
std::string log_path_in(const char* options) {
  if (options == nullptr) {
    return {};
  }
  const std::string_view text(options);
  constexpr std::string_view kKey = "log_path=";
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(':', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    const auto option = text.substr(start, end - start);
    if (option.starts_with(kKey)) {
      return std::string(option.substr(kKey.size()));
    }
    start = end + 1;
  }
  return {};
}

}  // namespace

std::string sanitizer_report(pid_t pid) {
  const auto prefix = log_path_in(std::getenv("ASAN_OPTIONS"));
  if (prefix.empty() || prefix == "stderr" || prefix == "stdout") {
    return {};
  }
  return read_file(prefix + "." + std::to_string(pid));
}

}  // namespace gantry::testing
