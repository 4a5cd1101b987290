#include "gantry/deb/version.hpp"

#include <cctype>

namespace gantry::deb {
namespace {

struct Parts {
  std::string_view epoch;
  std::string_view upstream;
  std::string_view revision;
};

Parts split(std::string_view version) {
  Parts parts;
  if (const auto colon = version.find(':'); colon != std::string_view::npos) {
    parts.epoch = version.substr(0, colon);
    version.remove_prefix(colon + 1);
  }
  if (const auto dash = version.rfind('-'); dash != std::string_view::npos) {
    parts.revision = version.substr(dash + 1);
    version = version.substr(0, dash);
  }
  parts.upstream = version;
  return parts;
}

bool is_digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// dpkg's order for one character of a non-digit part: '~' sorts before the end of the
// part, which sorts before letters, which sort before everything else.
int order(char c) {
  if (c == '~') {
    return -1;
  }
  if (is_alpha(c)) {
    return static_cast<unsigned char>(c);
  }
  return static_cast<unsigned char>(c) + 256;
}

int compare_numbers(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == '0') {
    a.remove_prefix(1);
  }
  while (!b.empty() && b.front() == '0') {
    b.remove_prefix(1);
  }
  if (a.size() != b.size()) {
    return a.size() < b.size() ? -1 : 1;
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

int compare_part(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    while ((i < a.size() && !is_digit(a[i])) || (j < b.size() && !is_digit(b[j]))) {
      const int left = i < a.size() && !is_digit(a[i]) ? order(a[i]) : 0;
      const int right = j < b.size() && !is_digit(b[j]) ? order(b[j]) : 0;
      if (left != right) {
        return left < right ? -1 : 1;
      }
      ++i;
      ++j;
    }
    std::size_t i_end = i;
    while (i_end < a.size() && is_digit(a[i_end])) {
      ++i_end;
    }
    std::size_t j_end = j;
    while (j_end < b.size() && is_digit(b[j_end])) {
      ++j_end;
    }
    if (const int numbers = compare_numbers(a.substr(i, i_end - i), b.substr(j, j_end - j))) {
      return numbers;
    }
    i = i_end;
    j = j_end;
  }
  return 0;
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
  const Parts left = split(a);
  const Parts right = split(b);
  if (const int epoch = compare_numbers(left.epoch, right.epoch)) {
    return epoch;
  }
  if (const int upstream = compare_part(left.upstream, right.upstream)) {
    return upstream;
  }
  return compare_part(left.revision, right.revision);
}

bool is_valid_version(std::string_view version) {
  if (version.empty()) {
    return false;
  }
  const Parts parts = split(version);
  for (const char c : parts.epoch) {
    if (!is_digit(c)) {
      return false;
    }
  }
  if (parts.upstream.empty() || !is_digit(parts.upstream.front())) {
    return false;
  }
  const auto allowed = [](char c, bool upstream) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '+' || c == '~' ||
           (upstream && (c == '-' || c == ':'));
  };
  for (const char c : parts.upstream) {
    if (!allowed(c, true)) {
      return false;
    }
  }
  for (const char c : parts.revision) {
    if (!allowed(c, false)) {
      return false;
    }
  }
  return true;
}

}  // namespace gantry::deb
