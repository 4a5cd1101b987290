#include "gantry/oci/registry_destination.hpp"

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {

ImageDestination::~ImageDestination() = default;

bool ImageDestination::holds(const Descriptor& /*manifest*/) { return false; }

RegistryDestination::RegistryDestination(ImageReference reference, RegistryClient::Options options,
                                         std::optional<std::string> mount_from)
    : reference_(std::move(reference)),
      client_(std::make_unique<RegistryClient>(reference_.api_host(), std::move(options))),
      mount_from_(std::move(mount_from)) {}

void RegistryDestination::prepare() {
  if (reference_.digest) {
    throw OciError("cannot push to " + reference_.str() + ": a destination takes a tag",
                   "Name the destination by tag, e.g. " + reference_.name() + ":0.2.");
  }
  client_->ping();
}

bool RegistryDestination::has_blob(const Descriptor& blob) {
  if (client_->blob_exists(reference_.repository, blob.digest)) {
    return true;
  }
  return mount_from_ && *mount_from_ != reference_.repository &&
         client_->mount_blob(reference_.repository, *mount_from_, blob.digest);
}

void RegistryDestination::put_blob(const Descriptor& blob, const BlobOpener& open) {
  client_->upload_blob(reference_.repository, blob, open);
}

bool RegistryDestination::holds(const Descriptor& manifest) {
  try {
    // HEAD first: a tag that names another image (the usual case) costs one small request.
    const auto named = client_->manifest_digest(reference_.repository, reference_.tag, true);
    if (!named || *named != manifest.digest) {
      return false;
    }
    // The answer decides that nothing is pushed: the digest of the bytes, not a header.
    return client_->get_manifest(reference_.repository, reference_.tag, true).digest ==
           manifest.digest;
  } catch (const OciError&) {
    return false;  // not allowed to look (push-only credentials), no answer, a bad one: push
  }
}

Digest RegistryDestination::put_manifest(const std::string& bytes, const Descriptor& manifest) {
  return client_->put_manifest(reference_.repository, reference_.tag, bytes, manifest.media_type);
}

}  // namespace gantry::oci
