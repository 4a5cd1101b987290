#include "auth_challenge.hpp"

#include <cctype>

namespace gantry::oci {
namespace {

void skip_spaces(std::string_view text, std::size_t& at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == ',')) {
    ++at;
  }
}

std::string lower(std::string text) {
  for (auto& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text;
}

}  // namespace

std::vector<AuthChallenge> parse_www_authenticate(std::string_view header) {
  std::vector<AuthChallenge> challenges;
  std::size_t at = 0;
  while (true) {
    skip_spaces(header, at);
    if (at >= header.size()) {
      return challenges;
    }
    // A token followed by a space (not '=') starts a new challenge.
    std::size_t end = at;
    while (end < header.size() && header[end] != ' ' && header[end] != '=' && header[end] != ',') {
      ++end;
    }
    const std::string token(header.substr(at, end - at));
    if (end >= header.size() || header[end] != '=') {
      challenges.push_back({lower(token), {}});
      at = end;
      continue;
    }
    // name=value or name="quoted value" of the current challenge.
    at = end + 1;
    std::string value;
    if (at < header.size() && header[at] == '"') {
      ++at;
      while (at < header.size() && header[at] != '"') {
        if (header[at] == '\\' && at + 1 < header.size()) {
          ++at;
        }
        value.push_back(header[at++]);
      }
      ++at;
    } else {
      while (at < header.size() && header[at] != ',' && header[at] != ' ') {
        value.push_back(header[at++]);
      }
    }
    if (!challenges.empty()) {
      challenges.back().params[lower(token)] = value;
    }
  }
}

}  // namespace gantry::oci
