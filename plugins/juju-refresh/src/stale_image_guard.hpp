#pragma once

#include <functional>
#include <optional>
#include <string>

#include "deployment_record.hpp"
#include "gantry/oci/digest.hpp"
#include "gantry/oci/image_reference.hpp"

namespace gantry::juju {

/// Whether deploying an image reference can leave Kubernetes on a stale image.
struct ImageVerdict {
  enum class Kind {
    kSafe,     ///< pinned by digest, a new tag, or the same image as deployed
    kStale,    ///< the deployed tag now names another image: Kubernetes keeps the old one
    kUnknown,  ///< what runs, or what the tag names, cannot be told: deploy by digest
  };
  Kind kind = Kind::kSafe;
  std::string message;                ///< for kStale and kUnknown
  std::optional<oci::Digest> digest;  ///< what the reference names now, when known
};

/// Looks up the digest a tag names now (a registry HEAD); throws when it cannot.
using DigestLookup = std::function<oci::Digest(const oci::ImageReference&)>;

/// The stale-image guard for one oci-image resource `name=value` of `application`.
/// `deployed` is what gantry recorded, `current_revision` the resource revision juju
/// reports now (the record counts only when they agree).
[[nodiscard]] ImageVerdict judge_image(const std::string& application, const std::string& name,
                                       const oci::ImageReference& reference,
                                       const std::optional<DeployedImage>& deployed,
                                       const std::string& current_revision,
                                       const DigestLookup& lookup);

}  // namespace gantry::juju
