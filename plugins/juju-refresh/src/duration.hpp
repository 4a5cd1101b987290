#pragma once

#include <chrono>
#include <string_view>

namespace gantry::juju {

/// Parses a duration as juju and Go write it: "10m", "90s", "1h30m", "500ms"; a bare
/// number is seconds. Throws gantry::Error saying the accepted forms.
[[nodiscard]] std::chrono::milliseconds parse_duration(std::string_view text);

}  // namespace gantry::juju
