#pragma once

#include "gantry/net/digest.hpp"

namespace gantry::oci {

/// The OCI toolkit's digests are the SDK's content digests (gantry/net/digest.hpp).
using net::Digest;
using net::Sha256;
using net::sha256_of;

}  // namespace gantry::oci
