#include "gantry/oci/registry_source.hpp"

#include <atomic>
#include <optional>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/oci/registry_error.hpp"

namespace gantry::oci {

RegistrySource::RegistrySource(ImageReference reference, RegistryClient::Options options,
                               Platform platform)
    : reference_(std::move(reference)),
      client_(std::make_unique<RegistryClient>(reference_.api_host(), std::move(options))) {
  auto fetched = client_->get_manifest(reference_.repository, reference_.manifest_reference());
  if (media_type::is_index(fetched.media_type)) {
    const auto index = parse_index(fetched.bytes, "index of " + reference_.str());
    const Descriptor* chosen = nullptr;
    for (const auto& entry : index.manifests) {
      if (entry.platform && entry.platform->os == platform.os &&
          entry.platform->architecture == platform.architecture &&
          (platform.variant.empty() || entry.platform->variant == platform.variant)) {
        chosen = &entry;
        break;
      }
    }
    if (chosen == nullptr) {
      throw OciError(
          reference_.str() + " has no image for " + platform.os + "/" + platform.architecture,
          "Choose an image built for this platform.");
    }
    fetched = client_->get_manifest(reference_.repository, chosen->digest.str());
  }
  manifest_bytes_ = std::move(fetched.bytes);
  descriptor_ = {fetched.media_type,
                 fetched.digest,
                 static_cast<std::int64_t>(manifest_bytes_.size()),
                 {},
                 {}};
  manifest_ = parse_manifest(manifest_bytes_, "manifest of " + reference_.str());
}

std::unique_ptr<BlobReader> RegistrySource::open_blob(const Descriptor& blob) const {
  static std::atomic<unsigned> counter{0};
  const auto file = spool_.path() / (blob.digest.hex() + "." + std::to_string(++counter));
  {
    // A retry sends the blob again from its start: it goes into a fresh spool file, so
    // nothing of a failed attempt (or of an error page) is ever part of the blob.
    std::optional<archive::AtomicFile> spool;
    std::optional<Sha256> hash;
    std::uint64_t size = 0;
    const auto restart = [&] {
      spool.reset();
      spool.emplace(file, archive::AtomicFile::Durability::kUnsynced);
      hash.emplace();
      size = 0;
    };
    restart();
    client_->get_blob(reference_.repository, blob.digest,
                      {.write =
                           [&](std::string_view bytes) {
                             if (size + bytes.size() > static_cast<std::uint64_t>(blob.size)) {
                               throw RegistryError(
                                   "registry " + client_->host() + " sent more than the " +
                                       std::to_string(blob.size) + " bytes of blob " +
                                       blob.digest.str(),
                                   "The registry is serving damaged content; nothing of it "
                                   "was used.",
                                   200);
                             }
                             spool->write(bytes);
                             hash->update(bytes);
                             size += bytes.size();
                           },
                       .restart = restart});
    const Digest got = hash->finish();
    if (got != blob.digest || size != static_cast<std::uint64_t>(blob.size)) {
      throw RegistryError("registry " + client_->host() + " served " + std::to_string(size) +
                              " bytes with digest " + got.str() + " for blob " + blob.digest.str() +
                              " of " + reference_.str(),
                          "The registry is serving damaged content; nothing of it was used.", 200);
    }
    spool->commit();
  }
  auto shared = std::make_shared<const SharedFile>(file);
  // The name can go now: the open descriptor keeps the bytes until the reader is done.
  std::filesystem::remove(file);
  const auto size = shared->size();
  return std::make_unique<FileSliceReader>(std::move(shared), 0, size);
}

}  // namespace gantry::oci
