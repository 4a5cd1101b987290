// The exec step's plugin entry point.
#include "gantry/sdk/plugin.hpp"

#include "exec_step.hpp"

GANTRY_PLUGIN(gantry::exec::ExecStep);
