#include "gantry/sdk/event_sink.hpp"

#include <chrono>

namespace gantry::sdk {

EventSink::~EventSink() = default;

std::int64_t now_unix_micros() {
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  using std::chrono::system_clock;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace gantry::sdk
