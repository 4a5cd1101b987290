#include "stale_image_guard.hpp"

#include "gantry/sdk/error.hpp"

namespace gantry::juju {

ImageVerdict judge_image(const std::string& application, const std::string& name,
                         const oci::ImageReference& reference,
                         const std::optional<DeployedImage>& deployed,
                         const std::string& current_revision, const DigestLookup& lookup) {
  ImageVerdict verdict;
  if (reference.digest) {
    verdict.digest = reference.digest;
    return verdict;  // a digest names one image: Kubernetes pulls exactly that
  }
  try {
    verdict.digest = lookup(reference);
  } catch (const Error& error) {
    verdict.kind = ImageVerdict::Kind::kUnknown;
    verdict.message = "cannot tell which image " + reference.str() + " names (" + error.what() +
                      "); if " + application +
                      " already runs that tag, Kubernetes will keep "
                      "its cached image";
    return verdict;
  }
  if (!deployed || deployed->juju_revision != current_revision) {
    verdict.kind = ImageVerdict::Kind::kUnknown;
    verdict.message = "gantry did not deploy the image " + application + " runs for " + name +
                      ", so it cannot tell whether " + reference.str() +
                      " is the same tag with another image; deploying by digest is always safe";
    return verdict;
  }
  oci::ImageReference before;
  try {
    before = oci::ImageReference::parse(deployed->reference);
  } catch (const Error&) {
    return verdict;  // the recorded value was no image reference: nothing to compare
  }
  const bool same_tag =
      !before.digest && before.name() == reference.name() && before.tag == reference.tag;
  if (same_tag && deployed->digest != verdict.digest->str()) {
    verdict.kind = ImageVerdict::Kind::kStale;
    verdict.message = "resource " + name + ": " + reference.str() + " now names image " +
                      verdict.digest->str() + ", but " + application + " runs " + deployed->digest +
                      " under the same tag, and Kubernetes would keep the "
                      "cached old image";
  }
  return verdict;
}

}  // namespace gantry::juju
