#pragma once

#include <string>

#include "command.hpp"

namespace gantry::testing {

/// GETs `url` with Debian's Python until it answers (every 0.5 s, up to 30 s), for a
/// server a test has just started (a container under podman). The answer's body is in
/// `out`; exit code 0 when it answered.
CommandResult wait_for_http(const std::string& url);

}  // namespace gantry::testing
