// The deb-stage step's plugin entry point.
#include "gantry/sdk/plugin.hpp"

#include "deb_stage_step.hpp"

GANTRY_PLUGIN(gantry::deb_stage::DebStageStep);
