#include "gantry/oci/image_location.hpp"

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

constexpr std::string_view kTransports =
    "oci-archive:PATH[:TAG], oci:DIR[:TAG], docker://HOST/REPO[:TAG] or docker-daemon:NAME:TAG";

/// PATH[:TAG] as containers/image splits it: at the first ':'.
void split_path_and_tag(std::string_view details, ImageLocation& location) {
  const auto colon = details.find(':');
  location.path = std::string(details.substr(0, colon));
  if (colon != std::string_view::npos) {
    location.tag = std::string(details.substr(colon + 1));
  }
}

}  // namespace

ImageLocation ImageLocation::parse(std::string_view text) {
  ImageLocation location;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    throw OciError("'" + std::string(text) + "' names no transport",
                   "Write the image as one of " + std::string(kTransports) + ".");
  }
  const std::string_view transport = text.substr(0, colon);
  std::string_view details = text.substr(colon + 1);
  if (transport == "oci-archive" || transport == "oci") {
    location.transport = transport == "oci" ? Transport::kOciLayout : Transport::kOciArchive;
    split_path_and_tag(details, location);
    if (location.path.empty()) {
      throw OciError("'" + std::string(text) + "' names no path",
                     "Write " + std::string(transport) + ":PATH[:TAG].");
    }
    return location;
  }
  if (transport == "docker") {
    if (!details.starts_with("//")) {
      throw OciError("'" + std::string(text) + "' must start with docker://",
                     "Write docker://HOST[:PORT]/REPO[:TAG].");
    }
    location.transport = Transport::kRegistry;
    location.reference = ImageReference::parse(details.substr(2));
    return location;
  }
  if (transport == "docker-daemon") {
    location.transport = Transport::kDockerDaemon;
    location.reference = ImageReference::parse(details);
    if (location.reference.digest) {
      throw OciError("docker-daemon: takes NAME:TAG, not a digest ('" + std::string(text) + "')",
                     "Give the image a tag, e.g. docker-daemon:myapp:0.2.");
    }
    return location;
  }
  throw OciError(
      "unknown transport '" + std::string(transport) + "' in '" + std::string(text) + "'",
      "Use " + std::string(kTransports) + ".");
}

std::string ImageLocation::str() const {
  switch (transport) {
    case Transport::kOciArchive:
      return "oci-archive:" + path.string() + (tag.empty() ? "" : ":" + tag);
    case Transport::kOciLayout:
      return "oci:" + path.string() + (tag.empty() ? "" : ":" + tag);
    case Transport::kRegistry:
      return "docker://" + reference.str();
    case Transport::kDockerDaemon:
      return "docker-daemon:" + reference.str();
  }
  return {};
}

}  // namespace gantry::oci
