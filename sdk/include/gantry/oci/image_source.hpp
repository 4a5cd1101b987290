#pragma once

#include <memory>
#include <string>

#include "gantry/oci/blob_reader.hpp"
#include "gantry/oci/manifest.hpp"

namespace gantry::oci {

/// An image to copy from: its manifest (checked against its digest) and its blobs.
/// open_blob may be called from several threads at once.
class ImageSource {
 public:
  virtual ~ImageSource();

  /// The source as the user named it, for messages.
  [[nodiscard]] virtual std::string description() const = 0;
  /// The manifest's exact bytes; they are pushed unchanged, so its digest is kept.
  [[nodiscard]] virtual const std::string& manifest_bytes() const = 0;
  /// The manifest's media type, digest and size.
  [[nodiscard]] virtual const Descriptor& manifest_descriptor() const = 0;
  [[nodiscard]] virtual const ImageManifest& manifest() const = 0;
  /// A reader of one blob (not yet verified: wrap it in a VerifyingReader).
  [[nodiscard]] virtual std::unique_ptr<BlobReader> open_blob(const Descriptor& blob) const = 0;
};

/// The linux platform of this machine's architecture ("amd64", "arm64", …).
[[nodiscard]] Platform host_platform();

}  // namespace gantry::oci
