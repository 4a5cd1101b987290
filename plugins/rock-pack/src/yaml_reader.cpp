// See yaml_reader.hpp. Sources of the messages: canonical/craft-application
// util/error_formatting.py and pydantic's error texts.
#include "yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <regex>

namespace gantry::rock_pack::detail {
namespace {

std::string child_path(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

/// craft-application's name for a mapping in messages: top-level, or its quoted path.
std::string location(const std::string& path) {
  return path.empty() ? std::string("top-level") : py_repr(path);
}

/// What craft-application shows after "input:"; nothing for a mapping or a list.
std::optional<std::string> input_repr(const YAML::Node& value) {
  if (value.IsNull()) {
    return "None";
  }
  if (!value.IsScalar()) {
    return std::nullopt;
  }
  switch (scalar_kind(value)) {
    case ScalarKind::kBool: {
      const char c = value.Scalar().empty() ? 'f' : value.Scalar()[0];
      return (c == 't' || c == 'T' || c == 'y' || c == 'Y' || value.Scalar() == "on" ||
              value.Scalar() == "On" || value.Scalar() == "ON")
                 ? "True"
                 : "False";
    }
    case ScalarKind::kInt:
    case ScalarKind::kFloat:
      return value.Scalar();
    default:
      return py_repr(value.Scalar());
  }
}

}  // namespace

bool contains(Names names, std::string_view value) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
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

std::string py_list(std::span<const std::string> items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : ", ") + py_repr(items[i]);
  }
  return out + "]";
}

std::string py_list(Names items) {
  return py_list(std::vector<std::string>(items.begin(), items.end()));
}

std::string choices(Names names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      out += i + 1 == names.size() ? " or " : ", ";
    }
    out += py_repr(names[i]);
  }
  return out;
}

std::string joined(Names names, std::string_view separator) {
  std::string out;
  for (const auto name : names) {
    out += (out.empty() ? "" : std::string(separator)) + std::string(name);
  }
  return out;
}

std::string lower_first(std::string message) {
  if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) != 0 &&
      std::isupper(static_cast<unsigned char>(message[1])) == 0) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

ScalarKind scalar_kind(const YAML::Node& node) {
  if (node.IsNull()) {
    return ScalarKind::kNull;
  }
  const std::string& tag = node.Tag();
  if (tag != "?") {  // quoted ("!") or explicitly tagged
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
  static const std::regex kBool(
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  static const std::regex kInt(
      "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|"
      "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+");
  static const std::regex kFloat(
      "[-+]?[0-9][0-9_]*\\.[0-9_]*([eE][-+][0-9]+)?|\\.[0-9][0-9_]*([eE][-+][0-9]+)?|"
      "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  const std::string& text = node.Scalar();
  // The patterns are only tried on short scalars: std::regex recurses per character.
  if (text.size() > 64) {
    return ScalarKind::kString;
  }
  if (std::regex_match(text, kBool)) {
    return ScalarKind::kBool;
  }
  if (text.find_first_not_of("+-.0123456789") != 0) {
    if (std::regex_match(text, kInt)) {
      return ScalarKind::kInt;
    }
    if (std::regex_match(text, kFloat)) {
      return ScalarKind::kFloat;
    }
  }
  return ScalarKind::kString;
}

std::string url_problem(std::string_view url, Names schemes) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos || separator == 0 ||
      url.substr(0, separator)
              .find_first_not_of(
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") !=
          std::string_view::npos) {
    return "Input should be a valid URL, relative URL without a base";
  }
  std::string scheme(url.substr(0, separator));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!schemes.empty() && !contains(schemes, scheme)) {
    return "URL scheme should be " + choices(schemes);
  }
  const auto rest = url.substr(separator + 3);
  if (rest.empty() || rest.front() == '/' ||
      rest.find_first_of(" \t\n") != std::string_view::npos) {
    return "Input should be a valid URL, empty host";
  }
  return {};
}

SourcePosition Reader::at(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) {
    return {file_.string(), 0, 0};
  }
  return {file_.string(), static_cast<std::uint32_t>(mark.line + 1),
          static_cast<std::uint32_t>(mark.column + 1)};
}

SourcePosition Reader::at(const Field& field) const {
  if ((field.value.IsNull() || field.value.Mark().is_null()) && !field.key.Mark().is_null()) {
    return at(field.key);
  }
  return at(field.value);
}

SourcePosition Reader::key_at(const Field& field) const {
  return field.key.Mark().is_null() ? at(field.value) : at(field.key);
}

void Reader::warn(const std::string& message) const {
  if (warn_) {
    warn_(message);
  }
}

void Reader::fail(SourcePosition where, std::string message, std::string resolution) const {
  throw ConfigError(std::move(where), std::move(message), std::move(resolution));
}

void Reader::invalid(const Field& field, const std::string& message, std::string resolution) const {
  std::string text = lower_first(message);
  if (!field.path.empty()) {
    text += " (in field " + py_repr(field.path);
    if (const auto input = input_repr(field.value)) {
      text += ", input: " + *input;
    }
    text += ")";
  }
  fail(at(field), std::move(text), std::move(resolution));
}

void Reader::extra_field(const Entry& entry, const std::string& parent_path,
                         std::string resolution) const {
  if (resolution.empty()) {
    resolution =
        "Remove '" + entry.name + "' or correct its spelling. " + std::string(kSeeReference);
  }
  fail(key_at(entry.field),
       "extra field " + py_repr(entry.name) + " not permitted in " + location(parent_path) +
           " configuration",
       std::move(resolution));
}

void Reader::missing_field(const Field& parent, std::string_view name) const {
  fail(key_at(parent),
       "field " + py_repr(name) + " required in " + location(parent.path) + " configuration",
       "Add '" + std::string(name) + "'. " + std::string(kSeeReference));
}

void Reader::check_duplicate_keys(const YAML::Node& node) const {
  if (node.IsMap()) {
    std::map<std::string, YAML::Node> seen;
    for (const auto& item : node) {
      if (item.first.IsScalar()) {
        const auto [first, inserted] = seen.emplace(item.first.Scalar(), item.first);
        if (!inserted) {
          fail(at(item.first), "found duplicate key " + py_repr(item.first.Scalar()),
               "Keep one of them; the first is at " + at(first->second).to_string() + ".");
        }
      }
      check_duplicate_keys(item.second);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) {
      check_duplicate_keys(item);
    }
  }
}

std::vector<Entry> Reader::entries(const Field& field, std::string_view kind) const {
  if (!field.value.IsMap()) {
    invalid(field, "Input should be a valid " + std::string(kind));
  }
  std::vector<Entry> out;
  for (const auto& item : field.value) {
    if (!item.first.IsScalar()) {
      fail(at(item.first), "keys must be strings (in " + location(field.path) + " configuration)");
    }
    const std::string name = item.first.Scalar();
    out.push_back({name, {item.first, item.second, child_path(field.path, name)}});
  }
  return out;
}

Model Reader::model(const Field& field, Names allowed, std::string_view kind) const {
  auto all = entries(field, kind);
  for (const auto& entry : all) {
    if (!contains(allowed, entry.name)) {
      extra_field(entry, field.path);
    }
  }
  return Model(std::move(all));
}

const Field& Reader::require(const Model& model, const Field& parent, std::string_view name) const {
  const Field* field = model.get(name);
  if (field == nullptr) {
    missing_field(parent, name);
  }
  return *field;
}

std::string Reader::string(const Field& field) const {
  if (field.value.IsScalar() && scalar_kind(field.value) == ScalarKind::kBool) {
    invalid(field, "Input should be a valid string",
            "Quote the value: YAML reads an unquoted " + field.value.Scalar() + " as a boolean.");
  }
  if (!field.value.IsScalar()) {
    invalid(field, "Input should be a valid string");
  }
  return field.value.Scalar();
}

std::string Reader::strict_string(const Field& field) const {
  if (!field.value.IsScalar() || scalar_kind(field.value) != ScalarKind::kString) {
    invalid(field, "Input should be a valid string");
  }
  return field.value.Scalar();
}

std::optional<std::string> Reader::optional_string(const Field* field) const {
  if (field == nullptr || field->value.IsNull()) {
    return std::nullopt;
  }
  return string(*field);
}

std::vector<std::string> Reader::strings(const Field& field) const {
  if (!field.value.IsSequence()) {
    invalid(field, "Input should be a valid list");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    out.push_back(string(item(field, i)));
  }
  return out;
}

Field Reader::item(const Field& list, std::size_t index) const {
  return {YAML::Node(), list.value[index], list.path + "[" + std::to_string(index) + "]"};
}

std::int64_t Reader::integer(const Field& field) const {
  const ScalarKind kind = scalar_kind(field.value);
  if (!field.value.IsScalar() || kind == ScalarKind::kBool || kind == ScalarKind::kNull) {
    invalid(field, "Input should be a valid integer");
  }
  const std::string& text = field.value.Scalar();
  std::int64_t value = 0;
  const char* begin = text.data() + (text.starts_with('+') ? 1 : 0);
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    invalid(field, "Input should be a valid integer, unable to parse string as an integer");
  }
  return value;
}

double Reader::number(const Field& field) const {
  const ScalarKind kind = scalar_kind(field.value);
  if (!field.value.IsScalar() || kind == ScalarKind::kBool || kind == ScalarKind::kNull) {
    invalid(field, "Input should be a valid number");
  }
  const std::string& text = field.value.Scalar();
  double value = 0;
  const char* begin = text.data() + (text.starts_with('+') ? 1 : 0);
  const auto [end, error] = std::from_chars(begin, text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    invalid(field, "Input should be a valid number, unable to parse string as a number");
  }
  return value;
}

bool Reader::boolean(const Field& field) const {
  if (field.value.IsScalar()) {
    const std::string& text = field.value.Scalar();
    for (const std::string_view yes : {"true", "yes", "on", "y", "t", "1"}) {
      if (iequals(text, yes)) {
        return true;
      }
    }
    for (const std::string_view no : {"false", "no", "off", "n", "f", "0"}) {
      if (iequals(text, no)) {
        return false;
      }
    }
  }
  invalid(field, "Input should be a valid boolean, unable to interpret input");
}

std::vector<std::pair<std::string, std::string>> Reader::string_map(const Field& field) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : entries(field)) {
    out.emplace_back(entry.name, string(entry.field));
  }
  return out;
}

std::string Reader::choice(const Field& field, Names allowed) const {
  if (!field.value.IsScalar() || scalar_kind(field.value) == ScalarKind::kBool ||
      !contains(allowed, field.value.Scalar())) {
    invalid(field, "Input should be " + choices(allowed));
  }
  return field.value.Scalar();
}

}  // namespace gantry::rock_pack::detail
