#include "plugins/step_endpoint.hpp"

namespace gantry::host {

StepEndpoint::~StepEndpoint() = default;

const char* transport_name(StepTransport transport) {
  switch (transport) {
    case StepTransport::kInProcess:
      return "in-process";
    case StepTransport::kProcess:
      return "process";
    case StepTransport::kExecutable:
      return "executable";
    case StepTransport::kRemote:
      return "remote";
  }
  return "unknown";
}

}  // namespace gantry::host
