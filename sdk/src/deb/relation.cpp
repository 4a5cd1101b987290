#include "gantry/deb/relation.hpp"

#include <cctype>

#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/version.hpp"

namespace gantry::deb {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    const auto end = text.find(separator, start);
    pieces.push_back(
        text.substr(start, end == std::string_view::npos ? text.size() - start : end - start));
    if (end == std::string_view::npos) {
      return pieces;
    }
    start = end + 1;
  }
}

VersionOp parse_op(std::string_view text) {
  if (text == "<<") {
    return VersionOp::kLess;
  }
  if (text == "<=" || text == "<") {  // "<" is the obsolete spelling of "<="
    return VersionOp::kLessEqual;
  }
  if (text == "=") {
    return VersionOp::kEqual;
  }
  if (text == ">=" || text == ">") {  // ">" is the obsolete spelling of ">="
    return VersionOp::kGreaterEqual;
  }
  if (text == ">>") {
    return VersionOp::kGreater;
  }
  return VersionOp::kNone;
}

[[noreturn]] void fail(std::string_view origin, std::string_view relation, std::string_view why) {
  throw DebError(std::string(origin) + ": cannot read the relation '" + std::string(relation) +
                     "': " + std::string(why),
                 "Relations look like 'name[:arch] [(op version)]', e.g. 'libc6 (>= 2.34)'.");
}

// Drops "[arch ...]" and "<profile ...>" lists, which sit outside the version's parentheses.
std::string strip_restrictions(std::string_view text) {
  std::string kept;
  int parentheses = 0;
  char closing = 0;
  for (const char c : text) {
    if (closing != 0) {
      if (c == closing) {
        closing = 0;
      }
      continue;
    }
    if (c == '(') {
      ++parentheses;
    } else if (c == ')') {
      --parentheses;
    } else if (parentheses == 0 && (c == '[' || c == '<')) {
      closing = c == '[' ? ']' : '>';
      continue;
    }
    kept += c;
  }
  return kept;
}

Relation parse_one(std::string_view text, std::string_view origin) {
  const std::string_view whole = text;
  const std::string stripped = strip_restrictions(text);
  text = trim(stripped);
  Relation relation;
  std::size_t name_end = 0;
  while (name_end < text.size() && text[name_end] != '(' &&
         std::isspace(static_cast<unsigned char>(text[name_end])) == 0) {
    ++name_end;
  }
  std::string_view name = text.substr(0, name_end);
  if (const auto colon = name.find(':'); colon != std::string_view::npos) {
    relation.arch_qualifier = std::string(name.substr(colon + 1));
    name = name.substr(0, colon);
  }
  if (name.empty()) {
    fail(origin, whole, "no package name");
  }
  relation.name = std::string(name);
  auto rest = trim(text.substr(name_end));
  if (rest.empty()) {
    return relation;
  }
  if (rest.front() != '(' || rest.back() != ')') {
    fail(origin, whole, "a version must be in parentheses");
  }
  rest = trim(rest.substr(1, rest.size() - 2));
  std::size_t op_end = 0;
  while (op_end < rest.size() &&
         (rest[op_end] == '<' || rest[op_end] == '>' || rest[op_end] == '=')) {
    ++op_end;
  }
  relation.op = parse_op(rest.substr(0, op_end));
  relation.version = std::string(trim(rest.substr(op_end)));
  if (relation.op == VersionOp::kNone || relation.version.empty()) {
    fail(origin, whole, "expected an operator (<<, <=, =, >=, >>) and a version");
  }
  return relation;
}

}  // namespace

std::string_view op_str(VersionOp op) {
  switch (op) {
    case VersionOp::kLess:
      return "<<";
    case VersionOp::kLessEqual:
      return "<=";
    case VersionOp::kEqual:
      return "=";
    case VersionOp::kGreaterEqual:
      return ">=";
    case VersionOp::kGreater:
      return ">>";
    case VersionOp::kNone:
      break;
  }
  return "";
}

std::string Relation::str() const {
  std::string text = name;
  if (!arch_qualifier.empty()) {
    text += ":" + arch_qualifier;
  }
  if (op != VersionOp::kNone) {
    text += " (" + std::string(op_str(op)) + " " + version + ")";
  }
  return text;
}

std::vector<Alternatives> parse_relations(std::string_view field, std::string_view origin) {
  std::vector<Alternatives> groups;
  if (trim(field).empty()) {
    return groups;
  }
  for (const auto group_text : split(field, ',')) {
    if (trim(group_text).empty()) {
      continue;  // a trailing comma
    }
    Alternatives group;
    for (const auto alternative : split(group_text, '|')) {
      group.push_back(parse_one(alternative, origin));
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

bool version_satisfies(std::string_view version, VersionOp op, std::string_view required) {
  if (op == VersionOp::kNone) {
    return true;
  }
  const int order = compare_versions(version, required);
  switch (op) {
    case VersionOp::kLess:
      return order < 0;
    case VersionOp::kLessEqual:
      return order <= 0;
    case VersionOp::kEqual:
      return order == 0;
    case VersionOp::kGreaterEqual:
      return order >= 0;
    case VersionOp::kGreater:
      return order > 0;
    case VersionOp::kNone:
      break;
  }
  return true;
}

}  // namespace gantry::deb
