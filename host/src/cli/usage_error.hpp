#pragma once

#include "gantry/sdk/error.hpp"

namespace gantry::host {

/// A mistake on the command line (exit code 64).
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace gantry::host
