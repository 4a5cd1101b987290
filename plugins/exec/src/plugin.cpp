// The exec step's plugin entry point.
#include "exec_step.hpp"
#include "gantry/sdk/plugin.hpp"

GANTRY_PLUGIN(gantry::exec::ExecStep);
