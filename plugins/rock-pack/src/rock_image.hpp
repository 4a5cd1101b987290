#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "gantry/oci/image_location.hpp"
#include "gantry/oci/manifest.hpp"
#include "gantry/oci/registry_client.hpp"
#include "parts_lifecycle.hpp"
#include "rock_project.hpp"

namespace gantry::rock_pack {

/// How the primed tree becomes a .rock.
struct RockImageOptions {
  std::string platform_label;  ///< goes into the file name
  std::string build_for;       ///< Debian architecture
  std::filesystem::path output_dir;
  std::filesystem::path pebble;  ///< the Pebble binary; empty when none was given
  bool single_layer = false;     ///< rockcraft's layout: all primed files in one layer
  std::int64_t epoch = 0;        ///< the image's time (SOURCE_DATE_EPOCH or the inputs')
  /// The time of the layers that come from rockcraft.yaml alone (the run-user and Pebble
  /// layers): SOURCE_DATE_EPOCH or the file's, so that an edit of the app leaves them,
  /// and their digests, as they were.
  std::int64_t definition_epoch = 0;
  /// Layers of unchanged parts are kept here and reused, not tarred and compressed again.
  std::filesystem::path layer_cache;
  std::function<void(const std::string&)> warn = [](const std::string&) {};
  /// The image a non-bare rock is built on, and how to reach it.
  std::optional<oci::ImageLocation> base_image;
  oci::RegistryClient::Options base_options{};
  std::filesystem::path base_cache;  ///< base images fetched before, by manifest digest
  /// Checked between layers and before the .rock replaces the previous one.
  std::function<bool()> cancelled = [] { return false; };
};

struct PackedRock {
  std::filesystem::path file;
  oci::Digest manifest_digest;
};

/// Writes `<name>_<version>_<platform>.rock` from the primed tree, with rockcraft's
/// layer stack. A part's layer carries the newest time of that part's own source (or
/// SOURCE_DATE_EPOCH), so that editing one part changes one layer; layers whose inputs
/// are unchanged come from `layer_cache`. With
/// layer stack (the primed parts, one layer each unless single_layer; the run-user layer;
/// the Pebble layer; .rock/metadata.yaml), its config (Pebble entrypoint for the build
/// base, or entrypoint-service / entrypoint-command; PATH for bare rocks; environment;
/// User 584792 for _daemon_) and labels, also as manifest annotations. The archive is
/// written under a temporary name and renamed, so a failure leaves the previous one.
PackedRock write_rock(const RockProject& project, const PrimedTree& primed,
                      const RockImageOptions& options);

/// Go's architecture and variant for a Debian architecture (armhf -> arm, v7).
[[nodiscard]] std::pair<std::string, std::string> go_architecture(const std::string& debian);

}  // namespace gantry::rock_pack
