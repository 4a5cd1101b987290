#include "gantry/deb/field_grammar.hpp"

#include <algorithm>

namespace gantry::deb {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

bool all_of(std::string_view text, bool (*allowed)(char)) {
  return std::all_of(text.begin(), text.end(), allowed);
}

}  // namespace

bool is_package_name(std::string_view text) {
  return !text.empty() && is_lower_alnum(text.front()) &&
         all_of(text, [](char c) { return is_lower_alnum(c) || c == '+' || c == '-' || c == '.'; });
}

bool is_package_version(std::string_view text) {
  if (const auto colon = text.find(':'); colon != std::string_view::npos) {
    const auto epoch = text.substr(0, colon);
    if (epoch.empty() || !all_of(epoch, [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    text.remove_prefix(colon + 1);
  }
  return !text.empty() && is_alnum(text.front()) && all_of(text, [](char c) {
    return is_alnum(c) || c == '.' || c == '+' || c == '~' || c == '-' || c == ':';
  });
}

bool is_architecture(std::string_view text) {
  return !text.empty() && is_lower_alnum(text.front()) &&
         all_of(text, [](char c) { return is_lower_alnum(c) || c == '-'; });
}

bool is_lower_hex(std::string_view text, std::size_t digits) {
  return text.size() == digits &&
         all_of(text, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_relative_file_name(std::string_view text) {
  if (text.empty() || text.front() == '/') {
    return false;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('/', start), text.size());
    if (text.substr(start, end - start) == "..") {
      return false;
    }
    start = end + 1;
  }
  return true;
}

}  // namespace gantry::deb
