// The bundled default pipeline: what `gantry run` runs in a 12-factor project that has no
// gantry.yaml. It is the seed's upgrade guide as one pipeline: rock-pack -> oci-push
// (rockcraft pack, skopeo copy) beside charm-pack (charmcraft pack), then juju-refresh
// with the new charm and the image pinned by digest. Written as gantry.yaml text, so that
// `gantry run --print-pipeline` gives a file a user can save and edit.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace gantry::host {

struct DefaultPipelineSettings {
  std::filesystem::path project_dir;
  /// Where the image goes: --registry, else GANTRY_REGISTRY, else localhost:32000 (the
  /// registry of MicroK8s, as in the upgrade guide).
  std::string registry = "localhost:32000";
  /// Verify the registry's TLS certificate; unset means "only for registries that are not
  /// on a loopback address".
  std::optional<bool> registry_tls_verify;
  /// The Juju application; empty means the charm's name.
  std::string application;
  /// The charm's oci-image resource to set when there is no charm in the project to say
  /// which (an image-only refresh).
  std::string image_resource;
  /// A juju client was found: otherwise the refresh is a dry run that prints its command.
  bool juju_available = true;
};

/// The pipeline text for the project. Throws UsageError when the project has neither a
/// rockcraft.yaml nor a charm, or when an image-only project names no application.
[[nodiscard]] std::string default_pipeline_yaml(const DefaultPipelineSettings& settings);

/// Whether `registry` (host[:port]) is on a loopback address: localhost, 127.0.0.0/8, ::1.
[[nodiscard]] bool is_loopback_registry(const std::string& registry);

}  // namespace gantry::host
