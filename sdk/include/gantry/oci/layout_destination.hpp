#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "gantry/oci/image_destination.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::oci {

/// An OCI image layout directory (`oci:DIR[:TAG]`). Blobs are written under temporary
/// names and renamed; index.json, which makes the image visible, is replaced last and
/// atomically, so an interrupted copy leaves the layout as it was. A new layout is built
/// in a private directory beside DIR and renamed into place by commit(), so a refused or
/// interrupted copy leaves no half-made DIR. An existing layout keeps its other images;
/// an image with the same tag is replaced.
class LayoutDestination final : public ImageDestination {
 public:
  LayoutDestination(std::filesystem::path dir, std::string tag);

  [[nodiscard]] std::string description() const override;
  void prepare() override;
  [[nodiscard]] bool has_blob(const Descriptor& blob) override;
  void put_blob(const Descriptor& blob, const BlobOpener& open) override;
  Digest put_manifest(const std::string& bytes, const Descriptor& manifest) override;
  void commit() override;
  [[nodiscard]] std::string reference() const override { return description(); }
  [[nodiscard]] std::string pinned(const Digest& manifest) const override;

  /// Where the layout is being written (DIR itself, or its staging directory).
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  [[nodiscard]] std::filesystem::path blob_file(const Digest& digest) const;

  std::filesystem::path target_;                      // DIR, as the user named it
  std::filesystem::path dir_;                         // where blobs go now
  std::unique_ptr<sdk::TemporaryDirectory> staging_;  // set while a new DIR is built
  std::string tag_;
  std::vector<Descriptor> kept_;  // other images already in index.json
  std::optional<Descriptor> manifest_;
};

/// An OCI archive (`oci-archive:PATH[:TAG]`, a .rock): the layout is staged in a private
/// directory beside PATH, then written as a reproducible tar under a temporary name and
/// renamed over PATH by commit().
class ArchiveDestination final : public ImageDestination {
 public:
  ArchiveDestination(std::filesystem::path archive, std::string tag);

  [[nodiscard]] std::string description() const override;
  void prepare() override;
  [[nodiscard]] bool has_blob(const Descriptor& blob) override { return layout_->has_blob(blob); }
  void put_blob(const Descriptor& blob, const BlobOpener& open) override {
    layout_->put_blob(blob, open);
  }
  Digest put_manifest(const std::string& bytes, const Descriptor& manifest) override {
    return layout_->put_manifest(bytes, manifest);
  }
  void commit() override;
  [[nodiscard]] std::string reference() const override { return description(); }
  [[nodiscard]] std::string pinned(const Digest& manifest) const override;

 private:
  std::filesystem::path archive_;
  std::string tag_;
  std::unique_ptr<sdk::TemporaryDirectory> staging_;
  std::unique_ptr<LayoutDestination> layout_;
};

/// Writes the OCI layout at `dir` as a reproducible OCI archive at `archive` (blobs sorted,
/// then index.json and oci-layout; times from SOURCE_DATE_EPOCH or 0), under a temporary
/// name renamed into place. Throws gantry::Cancelled, leaving `archive` as it was, once
/// `cancelled` says so.
void write_layout_archive(const std::filesystem::path& dir, const std::filesystem::path& archive,
                          const std::function<bool()>& cancelled = {});

}  // namespace gantry::oci
