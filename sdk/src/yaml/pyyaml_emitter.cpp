// Follows PyYAML's emitter.py (Emitter.analyze_scalar, choose_scalar_style, write_plain,
// write_single_quoted, write_literal) for block-style documents.
#include "gantry/yaml/pyyaml_emitter.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "gantry/yaml/scalar.hpp"

namespace gantry::yaml {
namespace {

constexpr std::size_t kWidth = 80;
constexpr int kIndent = 2;

bool is_space_or_end(std::string_view text, std::size_t at) {
  return at >= text.size() || text[at] == ' ' || text[at] == '\n';
}

enum class Style { kPlain, kSingle, kDouble, kLiteral };

/// PyYAML's analyze_scalar + choose_scalar_style for a str in block context.
Style choose_style(std::string_view text, bool simple_key) {
  if (text.empty()) {
    return Style::kSingle;
  }
  bool special = false;
  bool line_break = false;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      line_break = true;
    } else if (u < 0x20 || u >= 0x7f) {
      special = true;  // safe_dump escapes non-ASCII and control characters
    }
  }
  if (special) {
    return Style::kDouble;
  }
  if (line_break) {
    if (simple_key) {
      return Style::kDouble;
    }
    // A literal block cannot hold lines with trailing spaces, or a space before a break.
    bool trailing_space = false;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] == ' ' && text[i + 1] == '\n') {
        trailing_space = true;
      }
    }
    return trailing_space || text.back() == ' ' ? Style::kDouble : Style::kLiteral;
  }
  bool flow_indicators = false;
  bool block_indicators = false;
  if (text.starts_with("---") || text.starts_with("...")) {
    block_indicators = true;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool followed_by_space = is_space_or_end(text, i + 1);
    if (i == 0) {
      if (std::string_view("#,[]{}&*!|>'\"%@`").find(c) != std::string_view::npos) {
        flow_indicators = block_indicators = true;
      }
      if (c == '?' || c == ':') {
        flow_indicators = true;
        block_indicators = block_indicators || followed_by_space;
      }
      if (c == '-' && followed_by_space) {
        flow_indicators = block_indicators = true;
      }
    } else {
      if (std::string_view(",?[]{}").find(c) != std::string_view::npos) {
        flow_indicators = true;
      }
      if (c == ':') {
        flow_indicators = true;
        block_indicators = block_indicators || followed_by_space;
      }
      if (c == '#' && text[i - 1] == ' ') {
        flow_indicators = block_indicators = true;
      }
    }
  }
  (void)flow_indicators;  // block context: only block indicators forbid plain
  const bool edge_space = text.front() == ' ' || text.back() == ' ';
  if (edge_space || block_indicators || plain_kind(text) != ScalarKind::kString) {
    return Style::kSingle;
  }
  return Style::kPlain;
}

std::string python_int(const std::string& text) {
  std::string digits;
  for (const char c : text) {
    if (c != '_') {
      digits += c;
    }
  }
  bool negative = false;
  std::size_t at = 0;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    at = 1;
  }
  std::string_view body(digits);
  body.remove_prefix(at);
  int base = 10;
  if (body.starts_with("0x")) {
    base = 16;
    body.remove_prefix(2);
  } else if (body.starts_with("0b")) {
    base = 2;
    body.remove_prefix(2);
  } else if (body.size() > 1 && body[0] == '0') {
    base = 8;
    body.remove_prefix(1);
  }
  unsigned long long value = 0;
  const auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), value, base);
  if (error != std::errc() || end != body.data() + body.size()) {
    return text;  // sexagesimal or out of range: leave as written
  }
  return (negative && value != 0 ? "-" : "") + std::to_string(value);
}

std::string python_float(const std::string& text) {
  std::string clean;
  for (const char c : text) {
    if (c != '_') {
      clean += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (clean.find("inf") != std::string::npos) {
    return clean[0] == '-' ? "-.inf" : ".inf";
  }
  if (clean.find("nan") != std::string::npos) {
    return ".nan";
  }
  const double value = std::strtod(clean.c_str(), nullptr);
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string out = error == std::errc() ? std::string(buffer, end) : clean;
  if (out.find('.') == std::string::npos) {
    const auto e = out.find('e');
    out = e == std::string::npos ? out + ".0" : out.substr(0, e) + ".0" + out.substr(e);
  }
  return out;
}

class Emitter {
 public:
  explicit Emitter(KeyOrder order) : order_(order) {}

  std::string take() { return std::move(out_); }

  /// A node in a block context whose own lines start at `indent`.
  void node(const YAML::Node& node, int indent, bool after_indicator) {
    if (node.IsMap() && node.size() > 0) {
      mapping(node, indent, after_indicator);
    } else if (node.IsSequence() && node.size() > 0) {
      sequence(node, indent, after_indicator);
    } else {
      if (after_indicator) {
        write(" ");
      }
      scalar(node, indent, false);
      newline();
    }
  }

 private:
  void mapping(const YAML::Node& node, int indent, bool after_indicator) {
    std::vector<std::pair<std::string, YAML::Node>> items;
    for (const auto& item : node) {
      items.emplace_back(item.first.Scalar(), item.second);
    }
    // Sort positions, not the pairs: assigning a YAML::Node overwrites the node it refers to.
    std::vector<std::size_t> order(items.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    if (order_ == KeyOrder::kSorted) {
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return items[a].first < items[b].first;
      });
    }
    bool first = true;
    for (const std::size_t index : order) {
      const std::string& key = items[index].first;
      const YAML::Node& value = items[index].second;
      if (first && after_indicator) {
        write(" ");
      } else {
        pad(indent);
      }
      first = false;
      string_scalar(key, indent, true);
      write(":");
      const bool nested_map = value.IsMap() && value.size() > 0;
      const bool nested_seq = value.IsSequence() && value.size() > 0;
      if (nested_map) {
        newline();
        mapping(value, indent + kIndent, false);
      } else if (nested_seq) {
        newline();
        sequence(value, indent, false);  // PyYAML does not indent a sequence in a mapping
      } else {
        write(" ");
        scalar(value, indent + kIndent, false);
        newline();
      }
    }
  }

  void sequence(const YAML::Node& node, int indent, bool after_indicator) {
    bool first = true;
    for (const auto& item : node) {
      if (first && after_indicator) {
        write(" ");
      } else {
        pad(indent);
      }
      first = false;
      write("-");
      this->node(item, indent + kIndent, true);
    }
  }

  void scalar(const YAML::Node& node, int indent, bool simple_key) {
    if (node.IsMap()) {
      write("{}");
      return;
    }
    if (node.IsSequence()) {
      write("[]");
      return;
    }
    switch (scalar_kind(node)) {
      case ScalarKind::kNull:
        write("null");
        return;
      case ScalarKind::kBool:
        write(bool_value(node.Scalar()) ? "true" : "false");
        return;
      case ScalarKind::kInt:
        write(python_int(node.Scalar()));
        return;
      case ScalarKind::kFloat:
        write(python_float(node.Scalar()));
        return;
      case ScalarKind::kString:
        string_scalar(node.Scalar(), indent, simple_key);
        return;
    }
  }

  void string_scalar(std::string_view text, int indent, bool simple_key) {
    switch (choose_style(text, simple_key)) {
      case Style::kPlain:
        folded(text, indent, !simple_key);
        return;
      case Style::kSingle: {
        std::string doubled;
        for (const char c : text) {
          doubled += c == '\'' ? std::string("''") : std::string(1, c);
        }
        write("'");
        folded(doubled, indent, !simple_key);
        write("'");
        return;
      }
      case Style::kDouble:
        double_quoted(text);
        return;
      case Style::kLiteral:
        literal(text, indent);
        return;
    }
  }

  /// write_plain / write_single_quoted: a single space between words becomes a line break
  /// once the line has passed the width.
  void folded(std::string_view text, int indent, bool split) {
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string_view::npos) {
        write(text.substr(start));
        return;
      }
      write(text.substr(start, end - start));
      std::size_t spaces_end = end;
      while (spaces_end < text.size() && text[spaces_end] == ' ') {
        ++spaces_end;
      }
      if (spaces_end - end == 1 && column_ > kWidth && split && end != 0 &&
          spaces_end < text.size()) {
        newline();
        pad(indent);
      } else {
        write(text.substr(end, spaces_end - end));
      }
      start = spaces_end;
    }
  }

  void double_quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else if (u < 0x20 || u == 0x7f) {
        char buffer[8];
        std::snprintf(buffer, sizeof(buffer), "\\x%02X", u);
        out += buffer;
      } else {
        out += c;  // UTF-8 bytes kept as they are
      }
    }
    write(out + "\"");
  }

  void literal(std::string_view text, int indent) {
    std::string hints;
    if (text.front() == ' ' || text.front() == '\n') {
      hints += std::to_string(kIndent);
    }
    if (text.back() != '\n') {
      hints += "-";
    } else if (text.size() == 1 || text[text.size() - 2] == '\n') {
      hints += "+";
    }
    write("|" + hints);
    std::string_view rest = text;
    if (rest.ends_with('\n')) {
      rest.remove_suffix(1);
    }
    std::size_t start = 0;
    while (true) {
      const std::size_t end = rest.find('\n', start);
      const std::string_view line =
          rest.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      newline();
      if (!line.empty()) {
        pad(indent);
        write(line);
      }
      if (end == std::string_view::npos) {
        break;
      }
      start = end + 1;
    }
  }

  void pad(int indent) { write(std::string(static_cast<std::size_t>(indent), ' ')); }

  void write(std::string_view text) {
    out_ += text;
    column_ += text.size();
  }

  void newline() {
    out_ += '\n';
    column_ = 0;
  }

  KeyOrder order_;
  std::string out_;
  std::size_t column_ = 0;
};

}  // namespace

std::string dump_pyyaml(const YAML::Node& node, KeyOrder order) {
  Emitter emitter(order);
  emitter.node(node, 0, false);
  return emitter.take();
}

}  // namespace gantry::yaml
