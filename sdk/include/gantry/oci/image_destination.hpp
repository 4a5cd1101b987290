#pragma once

#include <functional>
#include <memory>
#include <string>

#include "gantry/oci/blob_reader.hpp"
#include "gantry/oci/manifest.hpp"

namespace gantry::oci {

/// Opens a fresh, verifying reader of one blob (called again for a retry).
using BlobOpener = std::function<std::unique_ptr<BlobReader>()>;

/// Where an image is copied to. has_blob and put_blob are called from several threads;
/// the manifest comes last, and nothing is visible at the destination before commit().
class ImageDestination {
 public:
  virtual ~ImageDestination();

  [[nodiscard]] virtual std::string description() const = 0;
  /// Checks the destination before any blob is sent (reachability, credentials).
  virtual void prepare() = 0;
  /// True when the destination already has the blob, so it need not be sent.
  [[nodiscard]] virtual bool has_blob(const Descriptor& blob) = 0;
  /// Stores a blob; the reader throws if the bytes do not match the descriptor.
  virtual void put_blob(const Descriptor& blob, const BlobOpener& open) = 0;
  /// Stores the manifest's exact bytes; returns its digest as stored.
  virtual Digest put_manifest(const std::string& bytes, const Descriptor& manifest) = 0;
  /// Makes the image visible (a rename for files; nothing for a registry).
  virtual void commit() = 0;
  /// The copied image as a reference ("localhost:5000/app:0.2", "oci:dir:0.2").
  [[nodiscard]] virtual std::string reference() const = 0;
  /// The copied image pinned by digest ("localhost:5000/app@sha256:…").
  [[nodiscard]] virtual std::string pinned(const Digest& manifest) const = 0;
  /// True when the destination already holds exactly the manifest `manifest` under its
  /// reference, checked against its bytes, so that a copy would change nothing. Called
  /// after prepare(). By default false: the copy goes ahead (and skips the blobs it has).
  [[nodiscard]] virtual bool holds(const Descriptor& manifest);
};

}  // namespace gantry::oci
