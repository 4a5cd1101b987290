#pragma once

#include <chrono>
#include <thread>

namespace gantry::testing {

/// Polls `done` every 10 ms until it holds or `limit` has passed; whether it held.
template <typename Done>
bool eventually(Done done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace gantry::testing
