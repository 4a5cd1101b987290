#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

namespace gantry::charm_pack {

/// One 12-factor extension of charmcraft (charmcraft/extensions/app.py, the "V1"
/// extensions that use the charm plugin): what it adds and what paas-charm does with it.
struct Framework {
  std::string extension{};  ///< "flask-framework"
  std::string framework{};  ///< "flask": the reserved option prefix and the messages' name
  std::string container{};  ///< "flask-app", or "app"
  std::string image{};      ///< "flask-app-image", or "app-image"
  std::vector<std::string> channels{};  ///< the Ubuntu releases it supports
  YAML::Node options{};                 ///< config.options it adds, in charmcraft's order
  YAML::Node actions{};                 ///< actions it adds
  /// paas-charm's prefix for user options' variables ("FLASK_", "APP_").
  std::string user_prefix{};
  /// paas-charm's prefix for the framework's own settings ("FLASK_", "" for FastAPI).
  std::string framework_prefix{};
  /// The framework settings' field names (paas-charm's config model): a user option that
  /// maps to one of them is silently dropped.
  std::vector<std::string> framework_fields{};
};

/// The framework an extension name stands for; nullptr when it is not a 12-factor one.
[[nodiscard]] const Framework* find_framework(std::string_view extension);

/// The names charmcraft registers, for messages.
[[nodiscard]] std::vector<std::string> known_extensions();

}  // namespace gantry::charm_pack
