#pragma once

#include <yaml-cpp/yaml.h>

#include <span>
#include <string>
#include <string_view>

namespace gantry::yaml {

/// What a plain scalar is under YAML 1.1 (PyYAML's resolver, which the craft tools use).
enum class ScalarKind { kNull, kBool, kInt, kFloat, kString };

/// The YAML 1.1 kind of `node`; a quoted scalar is a string.
[[nodiscard]] ScalarKind scalar_kind(const YAML::Node& node);

/// The YAML 1.1 kind a plain (unquoted) scalar with this text would have.
[[nodiscard]] ScalarKind plain_kind(std::string_view text);

/// The value of a YAML 1.1 boolean scalar (yes/no/on/off/true/false in three cases).
[[nodiscard]] bool bool_value(std::string_view text);

/// Python's repr() of a string, as craft-application quotes names and inputs.
[[nodiscard]] std::string py_repr(std::string_view text);

/// pydantic's wording for a Literal or an Enum: 'a', 'b' or 'c'.
[[nodiscard]] std::string choices(std::span<const std::string_view> names);

/// Whether two nodes hold the same data as Python would compare the loaded values
/// (mapping order does not matter; 1 and "1" differ).
[[nodiscard]] bool same_data(const YAML::Node& a, const YAML::Node& b);

}  // namespace gantry::yaml
