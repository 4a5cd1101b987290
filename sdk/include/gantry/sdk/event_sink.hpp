#pragma once

#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// Where a running step's events go, and where it learns that it should stop.
/// Implementations must be thread-safe: a step may emit from several threads.
class EventSink {
 public:
  virtual ~EventSink();

  /// Delivers one event; the sink copies what it keeps.
  virtual void emit(const v1::RunEvent& event) = 0;
  /// True once the caller wants the run to stop.
  [[nodiscard]] virtual bool cancelled() const = 0;
};

/// The current time as the protocol stamps events.
[[nodiscard]] std::int64_t now_unix_micros();

}  // namespace gantry::sdk
