#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// The protocol major version this SDK speaks.
inline constexpr std::uint32_t kProtocolVersion = 1;

/// One parameter of a step, written with designated initializers:
/// `{.name = "command", .type = v1::PARAM_TYPE_STRING, .required = true, .help = "…"}`.
/// Every member has a default initializer so that leaving one out never warns.
struct Param {
  std::string name{};
  v1::ParamType type = v1::PARAM_TYPE_STRING;
  bool required = false;
  std::optional<v1::Value> default_value = std::nullopt;
  std::string help{};
  bool secret = false;
  /// Inclusive bounds of an int parameter, checked with the other parameters.
  std::optional<std::int64_t> minimum = std::nullopt;
  std::optional<std::int64_t> maximum = std::nullopt;
  /// The only values a string parameter takes; empty: any.
  std::vector<std::string> choices{};
};

/// Builds a step's gantry.v1.StepDescription:
/// `Description("exec", "1.0.0", "Run a command").param({...}).output("status", "…")`.
class Description {
 public:
  Description(std::string name, std::string version, std::string summary);

  /// Adds a parameter.
  Description& param(const Param& param);
  /// Adds a promised output.
  Description& output(std::string name, std::string help);
  /// Adds a capability flag.
  Description& capability(std::string flag);

  /// The message, ready for the protocol.
  [[nodiscard]] const v1::StepDescription& proto() const { return proto_; }
  operator const v1::StepDescription&() const { return proto_; }  // NOLINT: a builder converts

 private:
  v1::StepDescription proto_;
};

}  // namespace gantry::sdk
