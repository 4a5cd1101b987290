// The juju-refresh step's plugin entry point.
#include "gantry/sdk/plugin.hpp"

#include "juju_refresh_step.hpp"

GANTRY_PLUGIN(gantry::juju::JujuRefreshStep);
