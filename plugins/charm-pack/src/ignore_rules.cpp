#include "ignore_rules.hpp"

namespace gantry::charm_pack {
namespace {

/// A gitignore glob as an ECMAScript regex over a '/'-separated path.
std::string glob_regex(std::string_view glob) {
  std::string out;
  for (std::size_t i = 0; i < glob.size(); ++i) {
    const char c = glob[i];
    if (c == '*' && i + 1 < glob.size() && glob[i + 1] == '*') {
      const bool slash_after = i + 2 < glob.size() && glob[i + 2] == '/';
      out += slash_after ? "(.*/)?" : ".*";
      i += slash_after ? 2 : 1;
    } else if (c == '*') {
      out += "[^/]*";
    } else if (c == '?') {
      out += "[^/]";
    } else if (c == '[') {
      const auto close = glob.find(']', i + 1);
      if (close == std::string_view::npos) {
        out += "\\[";
      } else {
        std::string set(glob.substr(i + 1, close - i - 1));
        if (!set.empty() && set[0] == '!') {
          set[0] = '^';
        }
        out += "[" + set + "]";
        i = close;
      }
    } else if (c == '\\' && i + 1 < glob.size()) {
      out += '\\';
      out += glob[++i];
    } else if (std::string_view(".^$+(){}|/").find(c) != std::string_view::npos) {
      out += c == '/' ? std::string("/") : std::string("\\") + c;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

IgnoreRules IgnoreRules::charmcraft_defaults() {
  IgnoreRules rules;
  for (const char* line : {".git", ".svn", ".hg", ".bzr", ".tox", "/build/", "/revision", "/venv",
                           ".jujuignore", "/staging-venv"}) {
    rules.add(line);
  }
  return rules;
}

void IgnoreRules::add_lines(std::string_view text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    add(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
}

void IgnoreRules::add(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
    line.remove_suffix(1);
  }
  if (line.empty() || line.front() == '#') {
    return;
  }
  Rule rule;
  if (line.front() == '!') {
    rule.negated = true;
    line.remove_prefix(1);
  } else if (line.starts_with("\\!") || line.starts_with("\\#")) {
    line.remove_prefix(1);
  }
  if (!line.empty() && line.back() == '/') {
    rule.directory_only = true;
    line.remove_suffix(1);
  }
  if (!line.empty() && line.front() == '/') {
    rule.anchored = true;
    line.remove_prefix(1);
  } else if (line.find('/') != std::string_view::npos) {
    rule.anchored = true;  // gitignore: an inner slash anchors the pattern
  }
  if (line.empty()) {
    return;
  }
  rule.pattern = std::regex(glob_regex(line));
  rules_.push_back(std::move(rule));
}

bool IgnoreRules::ignored(const std::string& relative, bool is_directory) const {
  const auto slash = relative.rfind('/');
  const std::string base = slash == std::string::npos ? relative : relative.substr(slash + 1);
  bool ignored = false;
  for (const auto& rule : rules_) {
    if (rule.directory_only && !is_directory) {
      continue;
    }
    const bool match = rule.anchored ? std::regex_match(relative, rule.pattern)
                                     : std::regex_match(base, rule.pattern);
    if (match) {
      ignored = !rule.negated;
    }
  }
  return ignored;
}

}  // namespace gantry::charm_pack
