#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gantry/oci/digest.hpp"

namespace gantry::oci {

/// A registry image reference: `HOST[:PORT]/REPO[:TAG][@DIGEST]`, as docker and skopeo
/// read it. Without a host the image is on docker.io (`library/` for one-part names).
struct ImageReference {
  std::string registry;    ///< "localhost:5000", "docker.io"
  std::string repository;  ///< "myapp", "team/myapp"
  std::string tag;         ///< may be empty when a digest is given
  std::optional<Digest> digest;

  /// Parses and validates. Throws OciError naming the reference and the rule it breaks.
  static ImageReference parse(std::string_view text);

  /// "registry/repository".
  [[nodiscard]] std::string name() const { return registry + "/" + repository; }
  /// The tag or the digest, as the registry API takes it in /manifests/<reference>.
  [[nodiscard]] std::string manifest_reference() const;
  /// The whole reference, normalized: "registry/repository[:tag][@digest]".
  [[nodiscard]] std::string str() const;
  /// "registry/repository@digest" for a given digest.
  [[nodiscard]] std::string pinned(const Digest& manifest_digest) const;
  /// The host to talk to: registry-1.docker.io for docker.io, else the registry.
  [[nodiscard]] std::string api_host() const;
};

}  // namespace gantry::oci
