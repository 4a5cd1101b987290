#include "gantry/sdk/step.hpp"

namespace gantry::sdk {

Step::~Step() = default;

}  // namespace gantry::sdk
