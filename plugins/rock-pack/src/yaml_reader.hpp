// Typed access to rockcraft.yaml's nodes, with mistakes reported as craft-application reports
// pydantic's validation errors (canonical/craft-application util/error_formatting.py).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::rock_pack::detail {

using Names = std::span<const std::string_view>;

constexpr std::string_view kSeeReference = "See rockcraft's rockcraft.yaml reference for the key.";

/// Whether `value` is one of `names`.
bool contains(Names names, std::string_view value);

/// Whether `a` and `b` are equal without regard to ASCII case.
bool iequals(std::string_view a, std::string_view b);

/// Python's repr() of a string, as craft-application quotes names and inputs.
std::string py_repr(std::string_view text);

/// Python's repr() of a list of strings: ['a', 'b'].
std::string py_list(std::span<const std::string> items);
std::string py_list(Names items);

/// pydantic's wording for a Literal or an Enum: 'a', 'b' or 'c'.
std::string choices(Names names);

/// `names` with `separator` between them.
std::string joined(Names names, std::string_view separator);

/// craft-application lowers the first letter of a pydantic message; an acronym stays.
std::string lower_first(std::string message);

/// What a scalar is under YAML 1.1 (PyYAML's resolver, which rockcraft uses).
enum class ScalarKind { kNull, kBool, kInt, kFloat, kString };

/// The YAML 1.1 kind of `node`; a quoted scalar is a string.
ScalarKind scalar_kind(const YAML::Node& node);

/// A URL with a scheme and a host (pydantic's AnyUrl, roughly); "" when fine, else why not.
std::string url_problem(std::string_view url, Names schemes);

/// A value in the document and where craft-application would say it is.
struct Field {
  YAML::Node key;  ///< null for list items and the document itself
  YAML::Node value;
  std::string path;  ///< "services.web.command", "parts.app.permissions[0].mode"; "" at the top
};

/// One key of a mapping and its value.
struct Entry {
  std::string name;
  Field field;
};

/// The entries of a validated mapping, looked up by key.
class Model {
 public:
  explicit Model(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  [[nodiscard]] const Field* get(std::string_view name) const {
    for (const auto& entry : entries_) {
      if (entry.name == name) {
        return &entry.field;
      }
    }
    return nullptr;
  }

  /// The field when given with a value; null counts as not given.
  [[nodiscard]] const Field* given(std::string_view name) const {
    const Field* field = get(name);
    return field != nullptr && !field->value.IsNull() ? field : nullptr;
  }

 private:
  std::vector<Entry> entries_;
};

/// Reads typed values out of the document and turns mistakes into ConfigErrors. Borrows
/// `warn`, which must outlive it.
class Reader {
 public:
  Reader(std::filesystem::path file, const std::function<void(const std::string&)>& warn)
      : file_(std::move(file)), warn_(warn) {}

  [[nodiscard]] SourcePosition at(const YAML::Node& node) const;

  /// The value's position; its key's when the value is empty (yaml-cpp marks an empty
  /// value where the next token starts).
  [[nodiscard]] SourcePosition at(const Field& field) const;

  /// The key's position, or the value's for list items and the document.
  [[nodiscard]] SourcePosition key_at(const Field& field) const;

  void warn(const std::string& message) const;

  [[noreturn]] void fail(SourcePosition where, std::string message,
                         std::string resolution = std::string(kSeeReference)) const;

  /// A pydantic validation error as craft-application prints it:
  /// "<message> (in field 'path', input: 'value')".
  [[noreturn]] void invalid(const Field& field, const std::string& message,
                            std::string resolution = std::string(kSeeReference)) const;

  [[noreturn]] void extra_field(const Entry& entry, const std::string& parent_path,
                                std::string resolution = {}) const;

  [[noreturn]] void missing_field(const Field& parent, std::string_view name) const;

  /// Refuses duplicate keys anywhere in the document: yaml-cpp keeps both, PyYAML the last,
  /// craft-application refuses them.
  void check_duplicate_keys(const YAML::Node& node) const;

  /// The entries of a mapping; `kind` names the expected type in the message.
  [[nodiscard]] std::vector<Entry> entries(const Field& field,
                                           std::string_view kind = "dictionary") const;

  /// A mapping whose keys must come from `allowed`.
  [[nodiscard]] Model model(const Field& field, Names allowed,
                            std::string_view kind = "dictionary") const;

  [[nodiscard]] const Field& require(const Model& model, const Field& parent,
                                     std::string_view name) const;

  /// A string; numbers count (craft models coerce them), booleans and null do not.
  [[nodiscard]] std::string string(const Field& field) const;

  /// A string, without number coercion (pydantic strict mode).
  [[nodiscard]] std::string strict_string(const Field& field) const;

  [[nodiscard]] std::optional<std::string> optional_string(const Field* field) const;

  [[nodiscard]] std::vector<std::string> strings(const Field& field) const;

  [[nodiscard]] Field item(const Field& list, std::size_t index) const;

  [[nodiscard]] std::int64_t integer(const Field& field) const;

  [[nodiscard]] double number(const Field& field) const;

  [[nodiscard]] bool boolean(const Field& field) const;

  /// A dict[str, str], in file order.
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> string_map(
      const Field& field) const;

  /// One of `allowed` (a pydantic Literal or Enum).
  std::string choice(const Field& field, Names allowed) const;

 private:
  std::filesystem::path file_;
  const std::function<void(const std::string&)>& warn_;
};

}  // namespace gantry::rock_pack::detail
