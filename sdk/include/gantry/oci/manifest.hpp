#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/oci/digest.hpp"

namespace gantry::oci {

/// The platform a manifest in an index is for.
struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
};

/// A content descriptor: what a blob is, its digest and size.
struct Descriptor {
  std::string media_type;
  Digest digest;
  std::int64_t size = 0;
  std::map<std::string, std::string> annotations;
  std::optional<Platform> platform;
};

/// An image manifest (OCI or Docker schema 2): a config and layers.
struct ImageManifest {
  std::string media_type;
  Descriptor config;
  std::vector<Descriptor> layers;
};

/// An image index (OCI) or manifest list (Docker), also the shape of an OCI layout's index.json.
struct ImageIndex {
  std::string media_type;
  std::vector<Descriptor> manifests;
};

/// The annotation naming a manifest in an OCI layout's index.json.
inline constexpr std::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";

/// Parse JSON; throw OciError naming `what` (a file or blob) for anything malformed.
[[nodiscard]] ImageManifest parse_manifest(std::string_view json, std::string_view what);
[[nodiscard]] ImageIndex parse_index(std::string_view json, std::string_view what);
/// The `mediaType` a manifest or index states about itself ("" when absent).
[[nodiscard]] std::string media_type_of(std::string_view json, std::string_view what);

/// index.json for an OCI layout holding `manifests`, serialized.
[[nodiscard]] std::string serialize_index(const std::vector<Descriptor>& manifests);

}  // namespace gantry::oci
