// Typed access to rockcraft.yaml's nodes: the SDK's craft-project reader
// (gantry/yaml/model_reader.hpp, pydantic's messages as craft-application prints them)
// with rockcraft's reference, and the few helpers only rockcraft.yaml's model needs.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "gantry/yaml/model_reader.hpp"
#include "gantry/yaml/scalar.hpp"

namespace gantry::rock_pack::detail {

using yaml::choices;
using yaml::Entry;
using yaml::Field;
using yaml::Model;
using yaml::Names;
using yaml::py_repr;
using yaml::scalar_kind;
using yaml::ScalarKind;

constexpr std::string_view kSeeReference = "See rockcraft's rockcraft.yaml reference for the key.";

/// The reader of one rockcraft.yaml: every resolution not given ends with kSeeReference.
class Reader : public yaml::Reader {
 public:
  Reader(std::filesystem::path file, const Warn& warn)
      : yaml::Reader(std::move(file), std::string(kSeeReference), warn) {}
};

/// Whether `value` is one of `names`.
bool contains(Names names, std::string_view value);

/// Whether `a` and `b` are equal without regard to ASCII case.
bool iequals(std::string_view a, std::string_view b);

/// Python's repr() of a list of strings: ['a', 'b'].
std::string py_list(std::span<const std::string> items);
std::string py_list(Names items);

/// `names` with `separator` between them.
std::string joined(Names names, std::string_view separator);

/// craft-application lowers the first letter of a pydantic message; an acronym stays.
std::string lower_first(std::string message);

/// A URL with a scheme and a host (pydantic's AnyUrl, roughly); "" when fine, else why not.
std::string url_problem(std::string_view url, Names schemes);

}  // namespace gantry::rock_pack::detail
