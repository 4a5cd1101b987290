#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "gantry/oci/image_destination.hpp"
#include "gantry/oci/image_source.hpp"

namespace gantry::oci {

/// Progress of one blob: `done` of `total` bytes; `skipped` when the destination had it.
struct BlobProgress {
  Digest digest;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  bool skipped = false;
};

struct CopyOptions {
  /// Blobs sent at once.
  std::size_t jobs = 4;
  /// Called from the copying threads, at most every few MiB per blob and at its end.
  std::function<void(const BlobProgress&)> progress{};
  /// Polled while copying; once true the copy stops with gantry::Cancelled.
  std::function<bool()> cancelled{};
};

struct CopyResult {
  Digest manifest_digest;
  std::string reference;  ///< the destination, e.g. "localhost:5000/app:0.2"
  std::string pinned;     ///< the destination by digest
  std::size_t blobs_sent = 0;
  std::size_t blobs_skipped = 0;
  std::uint64_t bytes_sent = 0;
  /// The destination already held this exact image under its reference: nothing was sent.
  bool unchanged = false;
};

/// Copies an image as `skopeo copy` does, without unpacking it: blobs in parallel, each
/// verified against its descriptor while it is read, the manifest's exact bytes last (so
/// the digest is kept), then commit(). A blob that does not match its descriptor stops
/// the copy before the manifest is written, so the destination never names a partial
/// or corrupt image. A destination that already holds the same manifest under its
/// reference is left as it is (`unchanged`). Throws OciError / RegistryError /
/// gantry::Cancelled.
CopyResult copy_image(const ImageSource& source, ImageDestination& destination,
                      const CopyOptions& options);

}  // namespace gantry::oci
