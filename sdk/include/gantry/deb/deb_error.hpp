#pragma once

#include "gantry/sdk/error.hpp"

namespace gantry::deb {

/// Bad package input: an apt source that cannot be read, an unsigned or badly signed
/// repository, an index or .deb whose hash does not match, a package that cannot be
/// resolved, a hostile archive entry. The message names the input.
class DebError : public Error {
 public:
  using Error::Error;
};

}  // namespace gantry::deb
