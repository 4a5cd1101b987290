#include "duration.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "gantry/sdk/error.hpp"

namespace gantry::juju {

std::chrono::milliseconds parse_duration(std::string_view text) {
  const auto invalid = [&] {
    return Error("'" + std::string(text) + "' is not a duration",
                 "Write a duration such as 90s, 10m or 1h30m.");
  };
  if (text.empty()) {
    throw invalid();
  }
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return std::chrono::seconds(std::stoll(std::string(text)));
  }
  std::chrono::milliseconds total{0};
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t digits = at;
    while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
      ++digits;
    }
    if (digits == at) {
      throw invalid();
    }
    const long long value = std::stoll(std::string(text.substr(at, digits - at)));
    std::size_t unit_end = digits;
    while (unit_end < text.size() &&
           std::isalpha(static_cast<unsigned char>(text[unit_end])) != 0) {
      ++unit_end;
    }
    const std::string_view unit = text.substr(digits, unit_end - digits);
    if (unit == "ms") {
      total += std::chrono::milliseconds(value);
    } else if (unit == "s") {
      total += std::chrono::seconds(value);
    } else if (unit == "m") {
      total += std::chrono::minutes(value);
    } else if (unit == "h") {
      total += std::chrono::hours(value);
    } else {
      throw invalid();
    }
    at = unit_end;
  }
  return total;
}

}  // namespace gantry::juju
