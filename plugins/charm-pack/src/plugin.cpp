// The charm-pack step's plugin entry point.
#include "gantry/sdk/plugin.hpp"

#include "charm_pack_step.hpp"

GANTRY_PLUGIN(gantry::charm_pack::CharmPackStep);
