// The rock-pack step's plugin entry point.
#include "gantry/sdk/plugin.hpp"

#include "rock_pack_step.hpp"

GANTRY_PLUGIN(gantry::rock_pack::RockPackStep);
