#include "plugins/description_check.hpp"

#include <set>
#include <string_view>

namespace gantry::host {
namespace {

constexpr std::size_t kMaxNameLength = 64;

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/// `[a-z][a-z0-9-]*` (steps), or with `_` too (parameters and outputs), at most 64 long.
bool valid_name(std::string_view name, std::string_view also_allowed) {
  if (name.empty() || name.size() > kMaxNameLength || name[0] < 'a' || name[0] > 'z') {
    return false;
  }
  for (const char c : name) {
    if (!lower_alnum(c) && also_allowed.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

/// A name as it may be shown in a message: non-printable bytes are escaped.
std::string shown(std::string_view name) {
  std::string text;
  for (const char c : name.substr(0, kMaxNameLength)) {
    if (c >= 0x20 && c < 0x7f) {
      text += c;
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto byte = static_cast<unsigned char>(c);
      text += std::string("\\x") + kHex[byte >> 4] + kHex[byte & 0xF];
    }
  }
  return name.size() > kMaxNameLength ? text + "..." : text;
}

}  // namespace

std::optional<std::string> description_problem(const v1::StepDescription& description) {
  if (!valid_name(description.name(), "-")) {
    return "its step name '" + shown(description.name()) +
           "' is not lower-case letters, digits and '-' starting with a letter";
  }
  std::set<std::string_view> params;
  for (const auto& spec : description.params()) {
    if (!valid_name(spec.name(), "-_")) {
      return "step '" + description.name() + "' has a parameter named '" + shown(spec.name()) +
             "', which is not lower-case letters, digits, '-' and '_' starting with a letter";
    }
    if (!params.insert(spec.name()).second) {
      return "step '" + description.name() + "' declares parameter '" + spec.name() + "' twice";
    }
    if (!v1::ParamType_IsValid(spec.type()) || spec.type() == v1::PARAM_TYPE_UNSPECIFIED) {
      return "step '" + description.name() + "' gives parameter '" + spec.name() +
             "' a type this gantry does not know";
    }
  }
  std::set<std::string_view> outputs;
  for (const auto& output : description.outputs()) {
    if (!valid_name(output.name(), "-_") || !outputs.insert(output.name()).second) {
      return "step '" + description.name() + "' has an output named '" + shown(output.name()) +
             "' that is not a valid name or is declared twice";
    }
  }
  return std::nullopt;
}

}  // namespace gantry::host
