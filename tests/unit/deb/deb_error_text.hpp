#pragma once

#include <functional>
#include <string>

#include "gantry/deb/deb_error.hpp"

namespace gantry::testing {

/// The message of the DebError `action` throws, or "(no error)".
inline std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const deb::DebError& error) {
    return error.what();
  }
  return "(no error)";
}

/// The resolution of the DebError `action` throws, or "(no error)".
inline std::string resolution_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const deb::DebError& error) {
    return error.resolution();
  }
  return "(no error)";
}

}  // namespace gantry::testing
