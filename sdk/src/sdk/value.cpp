#include "gantry/sdk/value.hpp"

#include <charconv>

#include "gantry/sdk/error.hpp"

namespace gantry::sdk {
namespace {

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  if (text.empty()) {
    return parts;
  }
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    parts.emplace_back(text.substr(start, comma - start));
    if (comma == std::string_view::npos) {
      return parts;
    }
    start = comma + 1;
  }
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const auto& item : items) {
    if (!text.empty()) {
      text += separator;
    }
    text += item;
  }
  return text;
}

}  // namespace

std::string_view type_name(v1::ParamType type) {
  switch (type) {
    case v1::PARAM_TYPE_STRING:
      return "string";
    case v1::PARAM_TYPE_INT:
      return "int";
    case v1::PARAM_TYPE_BOOL:
      return "bool";
    case v1::PARAM_TYPE_PATH:
      return "path";
    case v1::PARAM_TYPE_LIST:
      return "list";
    case v1::PARAM_TYPE_MAP:
      return "map";
    default:
      return "unspecified";
  }
}

bool value_matches(const v1::Value& value, v1::ParamType type) {
  switch (type) {
    case v1::PARAM_TYPE_STRING:
    case v1::PARAM_TYPE_PATH:
      return value.has_string_value();
    case v1::PARAM_TYPE_INT:
      return value.has_int_value();
    case v1::PARAM_TYPE_BOOL:
      return value.has_bool_value();
    case v1::PARAM_TYPE_LIST:
      return value.has_list_value();
    case v1::PARAM_TYPE_MAP:
      return value.has_map_value();
    default:
      return false;
  }
}

v1::Value parse_value(v1::ParamType type, std::string_view text) {
  switch (type) {
    case v1::PARAM_TYPE_STRING:
    case v1::PARAM_TYPE_PATH:
      return string_value(std::string(text));
    case v1::PARAM_TYPE_INT: {
      std::int64_t number = 0;
      const auto* end = text.data() + text.size();
      const auto [ptr, ec] = std::from_chars(text.data(), end, number);
      if (text.empty() || ec != std::errc() || ptr != end) {
        throw Error("'" + std::string(text) + "' is not a whole number",
                    "Give an integer such as 4.");
      }
      return int_value(number);
    }
    case v1::PARAM_TYPE_BOOL:
      if (text == "true") {
        return bool_value(true);
      }
      if (text == "false") {
        return bool_value(false);
      }
      throw Error("'" + std::string(text) + "' is not a boolean", "Give true or false.");
    case v1::PARAM_TYPE_LIST:
      return list_value(split_commas(text));
    case v1::PARAM_TYPE_MAP: {
      std::map<std::string, std::string> entries;
      for (const auto& pair : split_commas(text)) {
        const auto equals = pair.find('=');
        if (equals == std::string::npos || equals == 0) {
          throw Error("'" + pair + "' is not a KEY=VALUE pair",
                      "Give a map as KEY=VALUE pairs separated by commas.");
        }
        entries[pair.substr(0, equals)] = pair.substr(equals + 1);
      }
      return map_value(entries);
    }
    default:
      throw Error("parameter has no type");
  }
}

std::string display_value(const v1::Value& value, bool secret) {
  if (secret) {
    return "****";
  }
  switch (value.kind_case()) {
    case v1::Value::kStringValue:
      return value.string_value();
    case v1::Value::kIntValue:
      return std::to_string(value.int_value());
    case v1::Value::kBoolValue:
      return value.bool_value() ? "true" : "false";
    case v1::Value::kListValue:
      return join({value.list_value().items().begin(), value.list_value().items().end()}, ",");
    case v1::Value::kMapValue: {
      const std::map<std::string, std::string> sorted(value.map_value().entries().begin(),
                                                      value.map_value().entries().end());
      std::vector<std::string> pairs;
      for (const auto& [key, item] : sorted) {
        pairs.push_back(key + "=" + item);
      }
      return join(pairs, ",");
    }
    default:
      return {};
  }
}

v1::Value string_value(std::string text) {
  v1::Value value;
  value.set_string_value(std::move(text));
  return value;
}

v1::Value int_value(std::int64_t number) {
  v1::Value value;
  value.set_int_value(number);
  return value;
}

v1::Value bool_value(bool flag) {
  v1::Value value;
  value.set_bool_value(flag);
  return value;
}

v1::Value list_value(const std::vector<std::string>& items) {
  v1::Value value;
  for (const auto& item : items) {
    value.mutable_list_value()->add_items(item);
  }
  value.mutable_list_value();
  return value;
}

v1::Value map_value(const std::map<std::string, std::string>& entries) {
  v1::Value value;
  auto* map = value.mutable_map_value()->mutable_entries();
  for (const auto& [key, item] : entries) {
    (*map)[key] = item;
  }
  return value;
}

}  // namespace gantry::sdk
