#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "gantry/oci/image_source.hpp"

namespace gantry::oci {

/// Reads an OCI image layout, from a directory (`oci:`) or from inside an uncompressed
/// tar without extracting it (`oci-archive:`, a .rock).
///
/// The image is chosen in index.json by the `org.opencontainers.image.ref.name`
/// annotation equal to `tag`; with no tag, index.json must hold exactly one image. An
/// index entry is resolved to the manifest for this machine's platform.
class LayoutSource final : public ImageSource {
 public:
  /// Throws OciError naming the file for: missing file, not a tar, not an OCI layout, no
  /// or ambiguous image for the tag, a manifest whose digest does not match.
  static std::unique_ptr<LayoutSource> open_archive(const std::filesystem::path& archive,
                                                    const std::string& tag);
  static std::unique_ptr<LayoutSource> open_directory(const std::filesystem::path& dir,
                                                      const std::string& tag);

  [[nodiscard]] std::string description() const override;
  [[nodiscard]] const std::string& manifest_bytes() const override { return manifest_bytes_; }
  [[nodiscard]] const Descriptor& manifest_descriptor() const override { return descriptor_; }
  [[nodiscard]] const ImageManifest& manifest() const override { return manifest_; }
  [[nodiscard]] std::unique_ptr<BlobReader> open_blob(const Descriptor& blob) const override;

  /// The files of a layout, wherever they are kept.
  class Files {
   public:
    virtual ~Files();
    /// A reader of the file at `name` (e.g. "blobs/sha256/<hex>"), or nullptr if absent.
    [[nodiscard]] virtual std::unique_ptr<BlobReader> open(const std::string& name) const = 0;
    /// The layout as the user named it.
    [[nodiscard]] virtual std::string description() const = 0;
  };

  explicit LayoutSource(std::unique_ptr<Files> files, const std::string& tag);

 private:
  [[nodiscard]] std::string read_file(const std::string& name, const char* missing_hint) const;
  [[nodiscard]] std::string read_blob(const Descriptor& blob) const;

  std::unique_ptr<Files> files_;
  std::string tag_;
  std::string manifest_bytes_;
  Descriptor descriptor_;
  ImageManifest manifest_;
};

}  // namespace gantry::oci
