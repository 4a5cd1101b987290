#include "gantry/yaml/scalar.hpp"

#include <regex>

namespace gantry::yaml {

ScalarKind plain_kind(std::string_view text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return ScalarKind::kNull;
  }
  static const std::regex kBool(
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  static const std::regex kInt(
      "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|"
      "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+");
  static const std::regex kFloat(
      "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?|"
      "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  // std::regex recurses per character: only short scalars can be numbers or booleans.
  if (text.size() > 64) {
    return ScalarKind::kString;
  }
  const std::string copy(text);
  if (std::regex_match(copy, kBool)) {
    return ScalarKind::kBool;
  }
  if (copy.find_first_not_of("+-.0123456789") != 0) {
    if (std::regex_match(copy, kInt)) {
      return ScalarKind::kInt;
    }
    if (copy != "." && std::regex_match(copy, kFloat)) {
      return ScalarKind::kFloat;
    }
  }
  return ScalarKind::kString;
}

ScalarKind scalar_kind(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) {
    return ScalarKind::kNull;
  }
  const std::string& tag = node.Tag();
  // "?": a plain scalar from a file; "": one made in code (resolved as plain); "!": quoted.
  if (!tag.empty() && tag != "?") {
    if (tag.ends_with(":bool")) {
      return ScalarKind::kBool;
    }
    if (tag.ends_with(":int")) {
      return ScalarKind::kInt;
    }
    if (tag.ends_with(":float")) {
      return ScalarKind::kFloat;
    }
    return ScalarKind::kString;
  }
  return plain_kind(node.Scalar());
}

bool bool_value(std::string_view text) {
  return text == "yes" || text == "Yes" || text == "YES" || text == "true" || text == "True" ||
         text == "TRUE" || text == "on" || text == "On" || text == "ON";
}

std::string py_repr(std::string_view text) {
  const bool double_quotes =
      text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos;
  const char quote = double_quotes ? '"' : '\'';
  std::string out(1, quote);
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == quote) {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  out += quote;
  return out;
}

std::string choices(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += i + 1 == names.size() ? " or " : ", ";
    }
    out += py_repr(names[i]);
  }
  return out;
}

bool same_data(const YAML::Node& a, const YAML::Node& b) {
  const bool a_null = !a.IsDefined() || a.IsNull();
  const bool b_null = !b.IsDefined() || b.IsNull();
  if (a_null || b_null) {
    return a_null == b_null;
  }
  if (a.Type() != b.Type()) {
    return false;
  }
  if (a.IsScalar()) {
    const auto kind = scalar_kind(a);
    if (kind != scalar_kind(b)) {
      return false;
    }
    if (kind == ScalarKind::kBool) {
      return bool_value(a.Scalar()) == bool_value(b.Scalar());
    }
    return a.Scalar() == b.Scalar();
  }
  if (a.size() != b.size()) {
    return false;
  }
  if (a.IsSequence()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!same_data(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  for (const auto& item : a) {
    bool found = false;
    for (const auto& other : b) {
      if (other.first.Scalar() == item.first.Scalar()) {
        found = same_data(item.second, other.second);
        break;
      }
    }
    if (!found) {
      return false;
    }
  }
  return true;
}

}  // namespace gantry::yaml
