// See model_reader.hpp. Sources of the messages: canonical/craft-application
// util/error_formatting.py and pydantic's error texts.
#include "gantry/yaml/model_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <sstream>

#include "gantry/yaml/document.hpp"
#include "gantry/yaml/scalar.hpp"

namespace gantry::yaml {
namespace {

std::string child_path(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

/// craft-application's name for a mapping in messages: top-level, or its quoted path.
std::string location(const std::string& path) {
  return path.empty() ? std::string("top-level") : py_repr(path);
}

/// craft-application lowers the first letter of a pydantic message; an acronym stays.
std::string lower_first(std::string message) {
  if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) != 0 &&
      std::isupper(static_cast<unsigned char>(message[1])) == 0) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

/// What craft-application shows after "input:"; nothing for a mapping or a list.
std::optional<std::string> input_repr(const YAML::Node& value) {
  if (!value.IsDefined() || value.IsNull()) {
    return "None";
  }
  if (!value.IsScalar()) {
    return std::nullopt;
  }
  switch (scalar_kind(value)) {
    case ScalarKind::kBool:
      return bool_value(value.Scalar()) ? "True" : "False";
    case ScalarKind::kInt:
    case ScalarKind::kFloat:
      return value.Scalar();
    default:
      return py_repr(value.Scalar());
  }
}

bool contains(Names names, std::string_view value) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

}  // namespace

const Field* Model::get(std::string_view name) const {
  for (const auto& entry : entries_) {
    if (entry.name == name) {
      return &entry.field;
    }
  }
  return nullptr;
}

const Field* Model::given(std::string_view name) const {
  const Field* field = get(name);
  return field != nullptr && field->value.IsDefined() && !field->value.IsNull() ? field : nullptr;
}

Reader::Reader(std::filesystem::path file, std::string reference, Warn warn)
    : file_(std::move(file)), reference_(std::move(reference)), warn_(std::move(warn)) {}

Field Reader::load() const {
  std::ifstream in(file_, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) {
    throw Error("cannot read " + file_.string(), "Check that it exists and is readable.");
  }
  YAML::Node document;
  try {
    document = load_document(text.str());
  } catch (const YAML::Exception& error) {
    fail({file_.string(), static_cast<std::uint32_t>(error.mark.line + 1),
          static_cast<std::uint32_t>(error.mark.column + 1)},
         "invalid YAML: " + error.msg, "Fix the YAML syntax.");
  }
  check_duplicate_keys(document);
  return {YAML::Node(), document, ""};
}

SourcePosition Reader::at(const YAML::Node& node) const {
  if (!node.IsDefined() || node.Mark().is_null()) {
    return {file_.string(), 0, 0};
  }
  const YAML::Mark mark = node.Mark();
  return {file_.string(), static_cast<std::uint32_t>(mark.line + 1),
          static_cast<std::uint32_t>(mark.column + 1)};
}

SourcePosition Reader::at(const Field& field) const {
  const bool value_unplaced =
      !field.value.IsDefined() || field.value.IsNull() || field.value.Mark().is_null();
  if (value_unplaced && field.key.IsDefined() && !field.key.Mark().is_null()) {
    return at(field.key);
  }
  return at(field.value);
}

SourcePosition Reader::key_at(const Field& field) const {
  return !field.key.IsDefined() || field.key.Mark().is_null() ? at(field.value) : at(field.key);
}

void Reader::warn(const std::string& message) const {
  if (warn_) {
    warn_(message);
  }
}

void Reader::fail(SourcePosition where, std::string message, std::string resolution) const {
  if (resolution.empty()) {
    resolution = reference_;
  }
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
    resolution = "Remove '" + entry.name + "' or correct its spelling. " + reference_;
  }
  fail(key_at(entry.field),
       "extra field " + py_repr(entry.name) + " not permitted in " + location(parent_path) +
           " configuration",
       std::move(resolution));
}

std::vector<std::pair<std::string, std::string>> Reader::string_map(const Field& field) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : entries(field)) {
    out.emplace_back(entry.name, string(entry.field));
  }
  return out;
}

void Reader::missing_field(const Field& parent, std::string_view name) const {
  fail(key_at(parent),
       "field " + py_repr(name) + " required in " + location(parent.path) + " configuration",
       "Add '" + std::string(name) + "'. " + reference_);
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
  if (field == nullptr || !field->value.IsDefined() || field->value.IsNull()) {
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
  if (field.value.IsScalar() && scalar_kind(field.value) == ScalarKind::kBool) {
    return bool_value(field.value.Scalar());
  }
  invalid(field, "Input should be a valid boolean");
}

std::string Reader::choice(const Field& field, Names allowed) const {
  if (!field.value.IsScalar() || scalar_kind(field.value) == ScalarKind::kBool ||
      !contains(allowed, field.value.Scalar())) {
    invalid(field, "Input should be " + choices(allowed));
  }
  return field.value.Scalar();
}

}  // namespace gantry::yaml
