#pragma once

#include <string_view>

namespace gantry::oci::media_type {

inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";

/// True for an image manifest (OCI or Docker schema 2).
[[nodiscard]] inline bool is_manifest(std::string_view type) {
  return type == kOciManifest || type == kDockerManifest;
}
/// True for a manifest list (OCI index or Docker list).
[[nodiscard]] inline bool is_index(std::string_view type) {
  return type == kOciIndex || type == kDockerManifestList;
}

/// The Accept header value for manifests of every kind gantry reads.
inline constexpr std::string_view kAcceptManifests =
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";

}  // namespace gantry::oci::media_type
