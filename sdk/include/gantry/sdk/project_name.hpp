// The name rule rockcraft and charmcraft share (craft-application's PROJECT_NAME_REGEX,
// charmcraft's ^([a-z0-9][a-z0-9-]?)*[a-z]+([a-z0-9-]?[a-z0-9])*$), spelled out: as a
// std::regex its nested repetitions backtrack for seconds on a long name that fails.
#pragma once

#include <string_view>

namespace gantry::sdk {

/// Lowercase letters, digits and single hyphens, at least one letter, no hyphen first
/// or last.
[[nodiscard]] constexpr bool valid_project_name(std::string_view name) {
  if (name.empty() || name.front() == '-' || name.back() == '-' ||
      name.find("--") != std::string_view::npos) {
    return false;
  }
  bool letter = false;
  for (const char c : name) {
    if (c >= 'a' && c <= 'z') {
      letter = true;
    } else if (!(c >= '0' && c <= '9') && c != '-') {
      return false;
    }
  }
  return letter;
}

}  // namespace gantry::sdk
