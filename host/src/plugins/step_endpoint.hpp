#pragma once

#include <string>

#include "gantry/sdk/event_sink.hpp"
#include "gantry/v1/step.pb.h"

namespace gantry::host {

/// How a step reaches gantry, as `gantry plugins` shows it.
enum class StepTransport {
  kInProcess,   ///< a library loaded into gantry
  kProcess,     ///< a library served by `gantry plugin-serve` in a child process
  kExecutable,  ///< a `gantry-step-NAME` executable serving the Step service
  kRemote,      ///< a step on a runner reached over the network
};

/// "in-process", "process", "executable" or "remote".
[[nodiscard]] const char* transport_name(StepTransport transport);

/// One step as the scheduler sees it, whatever carries the calls: a library loaded in
/// process, a child process, or a remote runner.
class StepEndpoint {
 public:
  virtual ~StepEndpoint();

  /// The step's description, fetched once when the endpoint was made.
  [[nodiscard]] virtual const v1::StepDescription& description() const = 0;
  /// Where the step comes from (a file, an address), for messages.
  [[nodiscard]] virtual std::string origin() const = 0;
  /// What carries the calls.
  [[nodiscard]] virtual StepTransport transport() const = 0;
  /// Runs once. Every event goes to `sink`, the Result last and exactly once, even when
  /// the step breaks the protocol; the Result is also returned. Never throws.
  virtual v1::Result run(const v1::RunRequest& request, sdk::EventSink& sink) = 0;
};

}  // namespace gantry::host
