#include "gantry/oci/image_copier.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

constexpr std::uint64_t kProgressStep = 4 * 1024 * 1024;

/// The blobs of a manifest, config first, each once.
std::vector<Descriptor> blobs_of(const ImageManifest& manifest) {
  std::vector<Descriptor> blobs{manifest.config};
  std::set<Digest> seen{manifest.config.digest};
  for (const auto& layer : manifest.layers) {
    if (seen.insert(layer.digest).second) {
      blobs.push_back(layer);
    }
  }
  return blobs;
}

}  // namespace

CopyResult copy_image(const ImageSource& source, ImageDestination& destination,
                      const CopyOptions& options) {
  destination.prepare();
  const auto blobs = blobs_of(source.manifest());
  CopyResult result;
  if (destination.holds(source.manifest_descriptor())) {
    result.manifest_digest = source.manifest_descriptor().digest;
    result.reference = destination.reference();
    result.pinned = destination.pinned(result.manifest_digest);
    result.blobs_skipped = blobs.size();
    result.unchanged = true;
    return result;
  }
  std::mutex mutex;
  std::exception_ptr failure;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};

  const auto cancelled = [&] { return stop.load() || (options.cancelled && options.cancelled()); };
  const auto report = [&](const BlobProgress& progress) {
    if (options.progress) {
      options.progress(progress);
    }
  };
  const auto copy_one = [&](const Descriptor& blob) {
    const auto total = static_cast<std::uint64_t>(blob.size);
    if (destination.has_blob(blob)) {
      report({blob.digest, total, total, true});
      const std::lock_guard lock(mutex);
      ++result.blobs_skipped;
      return;
    }
    destination.put_blob(blob, [&] {
      auto last = std::make_shared<std::uint64_t>(0);
      return std::make_unique<VerifyingReader>(
          source.open_blob(blob), blob, source.description() + " blob " + blob.digest.str(),
          [&, last](std::uint64_t done) {
            if (done - *last >= kProgressStep || done == total) {
              *last = done;
              report({blob.digest, done, total, false});
            }
          },
          cancelled);
    });
    const std::lock_guard lock(mutex);
    ++result.blobs_sent;
    result.bytes_sent += total;
  };
  const auto worker = [&] {
    while (!stop) {
      const std::size_t index = next++;
      if (index >= blobs.size()) {
        return;
      }
      try {
        if (options.cancelled && options.cancelled()) {
          throw Cancelled();
        }
        copy_one(blobs[index]);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!failure) {
          failure = std::current_exception();
        }
        stop = true;
      }
    }
  };

  const std::size_t threads = std::clamp<std::size_t>(options.jobs, 1, blobs.size());
  std::vector<std::jthread> pool;
  for (std::size_t i = 1; i < threads; ++i) {
    pool.emplace_back(worker);
  }
  worker();
  pool.clear();  // joins
  if (failure) {
    std::rethrow_exception(failure);
  }

  result.manifest_digest =
      destination.put_manifest(source.manifest_bytes(), source.manifest_descriptor());
  if (result.manifest_digest != source.manifest_descriptor().digest) {
    throw OciError("the manifest of " + source.description() + " was stored as " +
                       result.manifest_digest.str() + ", not " +
                       source.manifest_descriptor().digest.str(),
                   "The destination changed the manifest.");
  }
  destination.commit();
  result.reference = destination.reference();
  result.pinned = destination.pinned(result.manifest_digest);
  return result;
}

}  // namespace gantry::oci
