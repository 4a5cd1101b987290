// The oci-push step's plugin entry point.
#include "gantry/sdk/plugin.hpp"

#include "oci_push_step.hpp"

GANTRY_PLUGIN(gantry::oci_push::OciPushStep);
