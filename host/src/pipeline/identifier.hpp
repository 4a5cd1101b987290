#pragma once

#include <string_view>

namespace gantry::host {

/// A step id or output name: a letter or '_', then letters, digits, '_' and '-'. Checked by
/// hand: a std::regex costs every start of gantry its construction.
[[nodiscard]] constexpr bool is_identifier(std::string_view text) {
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (text.empty() || !(letter(text.front()) || text.front() == '_')) {
    return false;
  }
  for (const char c : text) {
    if (!(letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

}  // namespace gantry::host
