#pragma once

#include <memory>

#include "gantry/oci/image_reference.hpp"
#include "gantry/oci/image_source.hpp"
#include "gantry/oci/registry_client.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::oci {

/// An image in a registry (`docker://`): its manifest, or for an index the manifest of
/// `platform`; each blob is fetched into a private temporary file when opened, so memory
/// stays bounded whatever the layer size.
class RegistrySource final : public ImageSource {
 public:
  RegistrySource(ImageReference reference, RegistryClient::Options options,
                 Platform platform = host_platform());

  [[nodiscard]] std::string description() const override { return "docker://" + reference_.str(); }
  [[nodiscard]] const std::string& manifest_bytes() const override { return manifest_bytes_; }
  [[nodiscard]] const Descriptor& manifest_descriptor() const override { return descriptor_; }
  [[nodiscard]] const ImageManifest& manifest() const override { return manifest_; }
  [[nodiscard]] std::unique_ptr<BlobReader> open_blob(const Descriptor& blob) const override;

  /// The repository the image is in, for cross-repository mounts.
  [[nodiscard]] const ImageReference& image_reference() const { return reference_; }

 private:
  ImageReference reference_;
  std::unique_ptr<RegistryClient> client_;
  std::string manifest_bytes_;
  Descriptor descriptor_;
  ImageManifest manifest_;
  sdk::TemporaryDirectory spool_{"gantry-pull-"};
};

}  // namespace gantry::oci
