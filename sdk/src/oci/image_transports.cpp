#include "gantry/oci/image_transports.hpp"

#include "gantry/oci/daemon_destination.hpp"
#include "gantry/oci/layout_destination.hpp"
#include "gantry/oci/layout_source.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/oci/registry_destination.hpp"
#include "gantry/oci/registry_source.hpp"

namespace gantry::oci {

using Transport = ImageLocation::Transport;

std::unique_ptr<ImageSource> open_source(const ImageLocation& location,
                                         const RegistryClient::Options& options) {
  switch (location.transport) {
    case Transport::kOciArchive:
      return LayoutSource::open_archive(location.path, location.tag);
    case Transport::kOciLayout:
      return LayoutSource::open_directory(location.path, location.tag);
    case Transport::kRegistry:
      return std::make_unique<RegistrySource>(location.reference, options);
    case Transport::kDockerDaemon:
      break;
  }
  throw OciError("docker-daemon: can only be a destination",
                 "Export the image first (`docker save`), or copy from a registry.");
}

std::unique_ptr<ImageDestination> open_destination(const ImageLocation& location,
                                                   const RegistryClient::Options& options,
                                                   const ImageLocation& source) {
  switch (location.transport) {
    case Transport::kOciArchive:
      return std::make_unique<ArchiveDestination>(location.path, location.tag);
    case Transport::kOciLayout:
      return std::make_unique<LayoutDestination>(location.path, location.tag);
    case Transport::kRegistry: {
      std::optional<std::string> mount_from;
      if (source.transport == Transport::kRegistry &&
          source.reference.registry == location.reference.registry) {
        mount_from = source.reference.repository;
      }
      return std::make_unique<RegistryDestination>(location.reference, options, mount_from);
    }
    case Transport::kDockerDaemon:
      return std::make_unique<DaemonDestination>(location.reference, std::string(),
                                                 options.cancelled);
  }
  throw OciError("unknown destination transport", "");
}

}  // namespace gantry::oci
