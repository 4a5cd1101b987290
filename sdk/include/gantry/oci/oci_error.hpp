#pragma once

#include "gantry/sdk/error.hpp"

namespace gantry::oci {

/// Bad image input: an invalid reference, a corrupt archive, a digest that does not
/// match, an unsupported media type. The message names the input.
class OciError : public Error {
 public:
  using Error::Error;
};

}  // namespace gantry::oci
