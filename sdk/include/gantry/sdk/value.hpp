#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// "string", "int", "bool", "path", "list" or "map": the name users see for a type.
[[nodiscard]] std::string_view type_name(v1::ParamType type);

/// True when `value` holds the kind a parameter of `type` takes.
[[nodiscard]] bool value_matches(const v1::Value& value, v1::ParamType type);

/// Parses command-line text into a value of `type`: lists are comma-separated, maps are
/// comma-separated KEY=VALUE pairs. Throws gantry::Error saying what form was expected.
[[nodiscard]] v1::Value parse_value(v1::ParamType type, std::string_view text);

/// A value as a user would type it; "****" for secrets.
[[nodiscard]] std::string display_value(const v1::Value& value, bool secret = false);

/// Value constructors.
[[nodiscard]] v1::Value string_value(std::string text);
[[nodiscard]] v1::Value int_value(std::int64_t number);
[[nodiscard]] v1::Value bool_value(bool flag);
[[nodiscard]] v1::Value list_value(const std::vector<std::string>& items);
[[nodiscard]] v1::Value map_value(const std::map<std::string, std::string>& entries);

}  // namespace gantry::sdk
