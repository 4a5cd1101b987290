#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "gantry/oci/layer_writer.hpp"
#include "gantry/oci/manifest.hpp"

namespace gantry::oci {

/// What goes into an image config besides its layers (OCI image-spec config.md).
struct ImageConfig {
  std::string architecture;  ///< Go's name: amd64, arm64, arm, 386, ppc64le, riscv64, s390x
  std::string variant;       ///< v7, v8, or ""
  std::string os = "linux";
  std::string created;  ///< RFC 3339; "" leaves it out
  std::vector<std::string> env;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string user;
  std::string working_dir;
  std::map<std::string, std::string> labels;
};

/// Builds one image in a fresh OCI layout directory: layers written by LayerWriter into
/// blobs_dir() and added in order, then the config, the manifest (with annotations) and
/// index.json (the manifest tagged `tag`). JSON is written with sorted keys, so the same
/// inputs give the same digests.
class ImageWriter {
 public:
  /// Creates `dir` (which must not exist or be empty) as an OCI layout.
  explicit ImageWriter(std::filesystem::path dir);

  [[nodiscard]] std::filesystem::path blobs_dir() const { return dir_ / "blobs" / "sha256"; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

  /// Appends a layer; `comment` becomes its history entry's comment.
  void add_layer(const WrittenLayer& layer, const std::string& comment);
  /// Writes config, manifest and index.json; returns the manifest's descriptor.
  Descriptor finish(const ImageConfig& config,
                    const std::map<std::string, std::string>& annotations, const std::string& tag);

 private:
  std::filesystem::path dir_;
  std::vector<WrittenLayer> layers_;
  std::vector<std::string> comments_;
};

}  // namespace gantry::oci
