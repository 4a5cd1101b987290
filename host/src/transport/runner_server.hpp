#pragma once

#include "plugins/step_registry.hpp"
#include "transport/remote_options.hpp"

namespace gantry::host {

/// `gantry serve`: the Runner service on `options.listen` until SIGINT or SIGTERM, with
/// TLS (and client certificates) when given, the bearer token on every call, keepalives
/// that suit long quiet steps, and bounded requests. Refuses to listen beyond this machine
/// without both TLS and a token. Prints `listening on ADDRESS` on stdout once it serves.
/// Returns the exit code; throws gantry::Error.
int serve_runner(const ServeOptions& options, const StepRegistry& registry);

}  // namespace gantry::host
