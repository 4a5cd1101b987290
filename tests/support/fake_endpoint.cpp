#include "fake_endpoint.hpp"

#include "gantry/sdk/step_runner.hpp"

namespace gantry::testing {

v1::Result FakeEndpoint::run(const v1::RunRequest& request, sdk::EventSink& sink) {
  return sdk::run_step(*step_, request, sink);
}

}  // namespace gantry::testing
