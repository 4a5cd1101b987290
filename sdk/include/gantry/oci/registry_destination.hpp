#pragma once

#include <memory>
#include <optional>

#include "gantry/oci/image_destination.hpp"
#include "gantry/oci/image_reference.hpp"
#include "gantry/oci/registry_client.hpp"

namespace gantry::oci {

/// A repository in a registry (`docker://`). Blobs the repository has are skipped;
/// blobs in `mount_from` (another repository of the same registry) are mounted.
class RegistryDestination final : public ImageDestination {
 public:
  RegistryDestination(ImageReference reference, RegistryClient::Options options,
                      std::optional<std::string> mount_from = std::nullopt);

  [[nodiscard]] std::string description() const override { return "docker://" + reference_.str(); }
  void prepare() override;
  [[nodiscard]] bool has_blob(const Descriptor& blob) override;
  void put_blob(const Descriptor& blob, const BlobOpener& open) override;
  Digest put_manifest(const std::string& bytes, const Descriptor& manifest) override;
  void commit() override {}
  [[nodiscard]] bool holds(const Descriptor& manifest) override;
  [[nodiscard]] std::string reference() const override { return reference_.str(); }
  [[nodiscard]] std::string pinned(const Digest& manifest) const override {
    return reference_.pinned(manifest);
  }

 private:
  ImageReference reference_;
  std::unique_ptr<RegistryClient> client_;
  std::optional<std::string> mount_from_;
};

}  // namespace gantry::oci
