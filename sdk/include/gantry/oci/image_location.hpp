#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "gantry/oci/image_reference.hpp"

namespace gantry::oci {

/// Where an image is, in skopeo's `transport:details` syntax.
struct ImageLocation {
  enum class Transport {
    kOciArchive,    ///< oci-archive:PATH[:TAG] — a tar of an OCI layout (a .rock)
    kOciLayout,     ///< oci:DIR[:TAG] — an OCI layout directory
    kRegistry,      ///< docker://HOST[:PORT]/REPO[:TAG|@DIGEST]
    kDockerDaemon,  ///< docker-daemon:NAME:TAG — a Docker Engine's image store
  };

  Transport transport = Transport::kRegistry;
  std::filesystem::path path;  ///< for oci-archive: and oci:
  std::string tag;             ///< for oci-archive: and oci: (may be empty)
  ImageReference reference;    ///< for docker:// and docker-daemon:

  /// Parses `transport:details`. Throws OciError listing the transports for anything else.
  static ImageLocation parse(std::string_view text);

  /// The location as the user would write it.
  [[nodiscard]] std::string str() const;
};

}  // namespace gantry::oci
