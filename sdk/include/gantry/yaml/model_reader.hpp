// Typed access to a craft tool's project file (rockcraft.yaml, charmcraft.yaml), with
// mistakes reported as craft-application reports pydantic's validation errors
// (canonical/craft-application util/error_formatting.py), at file:line:column.
#pragma once

#include <yaml-cpp/yaml.h>

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

namespace gantry::yaml {

using Names = std::span<const std::string_view>;

/// A value in the document and where craft-application would say it is.
struct Field {
  YAML::Node key{};  ///< null for list items and the document itself
  YAML::Node value{};
  std::string path{};  ///< "config.options.token", "parts.charm.charm-requirements[0]"
};

/// One key of a mapping and its value.
struct Entry {
  std::string name{};
  Field field{};
};

/// The entries of a validated mapping, looked up by key.
class Model {
 public:
  explicit Model(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  [[nodiscard]] const Field* get(std::string_view name) const;
  /// The field when given with a value; null counts as not given.
  [[nodiscard]] const Field* given(std::string_view name) const;
  [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;
};

/// Reads typed values out of one file's document and throws ConfigErrors positioned in
/// it. `reference` ends each resolution ("See charmcraft's charmcraft.yaml reference.").
class Reader {
 public:
  using Warn = std::function<void(const std::string&)>;

  Reader(std::filesystem::path file, std::string reference, Warn warn = {});

  [[nodiscard]] const std::filesystem::path& file() const { return file_; }
  [[nodiscard]] const std::string& reference() const { return reference_; }

  /// The whole document as a Field; throws a ConfigError for YAML syntax errors and
  /// duplicate keys (PyYAML keeps the last, craft-application refuses them).
  [[nodiscard]] Field load() const;

  [[nodiscard]] SourcePosition at(const YAML::Node& node) const;
  /// The value's position; its key's when the value is empty or was not in the file.
  [[nodiscard]] SourcePosition at(const Field& field) const;
  /// The key's position, or the value's for list items and the document.
  [[nodiscard]] SourcePosition key_at(const Field& field) const;

  void warn(const std::string& message) const;

  [[noreturn]] void fail(SourcePosition where, std::string message,
                         std::string resolution = {}) const;
  /// A pydantic validation error as craft-application prints it:
  /// "<message> (in field 'path', input: 'value')".
  [[noreturn]] void invalid(const Field& field, const std::string& message,
                            std::string resolution = {}) const;
  /// An unknown key; the resolution says to remove or respell it unless one is given.
  [[noreturn]] void extra_field(const Entry& entry, const std::string& parent_path,
                                std::string resolution = {}) const;
  [[noreturn]] void missing_field(const Field& parent, std::string_view name) const;

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

  /// Refuses duplicate keys anywhere below `node`: yaml-cpp keeps both, PyYAML the last,
  /// craft-application refuses them.
  void check_duplicate_keys(const YAML::Node& node) const;

 private:
  std::filesystem::path file_;
  std::string reference_;
  Warn warn_;
};

}  // namespace gantry::yaml
