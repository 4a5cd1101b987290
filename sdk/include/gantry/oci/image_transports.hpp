#pragma once

#include <memory>

#include "gantry/oci/image_destination.hpp"
#include "gantry/oci/image_location.hpp"
#include "gantry/oci/image_source.hpp"
#include "gantry/oci/registry_client.hpp"

namespace gantry::oci {

/// Opens the image at `location` for reading. Throws OciError / RegistryError.
[[nodiscard]] std::unique_ptr<ImageSource> open_source(const ImageLocation& location,
                                                       const RegistryClient::Options& options);

/// Opens `location` for writing. When `source` is in the same registry, blobs are
/// mounted from its repository instead of uploaded. Throws OciError for a transport
/// that cannot be written.
[[nodiscard]] std::unique_ptr<ImageDestination> open_destination(
    const ImageLocation& location, const RegistryClient::Options& options,
    const ImageLocation& source);

}  // namespace gantry::oci
