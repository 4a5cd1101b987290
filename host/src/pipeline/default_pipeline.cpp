#include "pipeline/default_pipeline.hpp"

#include "cli/usage_error.hpp"

namespace gantry::host {
namespace {

namespace fs = std::filesystem;

/// A YAML double-quoted scalar.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

/// The charm's directory relative to the project: charm/ in the 12-factor layout, else
/// the project itself; empty when there is no charmcraft.yaml.
std::string charm_dir(const fs::path& project) {
  if (fs::exists(project / "charm" / "charmcraft.yaml")) {
    return "charm";
  }
  if (fs::exists(project / "charmcraft.yaml")) {
    return ".";
  }
  return {};
}

}  // namespace

bool is_loopback_registry(const std::string& registry) {
  std::string host = registry;
  if (host.starts_with('[')) {
    host = host.substr(1, host.find(']') - 1);
  } else if (const auto colon = host.rfind(':');
             colon != std::string::npos && host.find(':') == colon) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::string default_pipeline_yaml(const DefaultPipelineSettings& settings) {
  const fs::path& project = settings.project_dir;
  const bool rock = fs::exists(project / "rockcraft.yaml");
  const std::string charm = charm_dir(project);
  if (!rock && charm.empty()) {
    throw UsageError("no gantry.yaml, rockcraft.yaml or charmcraft.yaml in " + project.string(),
                     "Run `gantry run` in a 12-factor project (rockcraft.yaml, and the charm in "
                     "charm/), or give a pipeline file: `gantry run path/to/gantry.yaml`.");
  }
  if (charm.empty() && settings.application.empty()) {
    throw UsageError(
        "this project has a rock but no charm, so gantry cannot tell which Juju "
        "application to refresh",
        "Name it with --application APP (and its image resource with "
        "--image-resource NAME), or add the charm in charm/.");
  }
  if (charm.empty() && settings.image_resource.empty()) {
    throw UsageError("this project has no charm to say which resource takes the image",
                     "Name the application's oci-image resource with --image-resource, e.g. "
                     "--image-resource flask-app-image.");
  }
  const bool tls_verify =
      settings.registry_tls_verify.value_or(!is_loopback_registry(settings.registry));

  std::string text =
      "# gantry's bundled default pipeline for " + project.filename().string() +
      ": the upgrade guide as one run.\n"
      "# Save it as gantry.yaml to change it (gantry run --print-pipeline > gantry.yaml);\n"
      "# `gantry run` then runs that file instead.\n"
      "name: default\n"
      "steps:\n";
  if (rock) {
    text +=
        "  rock:          # rockcraft pack\n"
        "    uses: rock-pack\n"
        "    with:\n"
        "      project: .\n"
        "  push:          # skopeo copy oci-archive:NAME_VERSION_ARCH.rock docker://REGISTRY/...\n"
        "    uses: oci-push\n"
        "    with:\n"
        "      source: \"oci-archive:${{ steps.rock.outputs.rock }}\"\n"
        "      destination: " +
        quoted("docker://" + settings.registry +
               "/${{ steps.rock.outputs.name }}:${{ steps.rock.outputs.version }}") +
        "\n";
    if (!tls_verify) {
      text += "      tls-verify: false   # " +
              std::string(is_loopback_registry(settings.registry) ? "a loopback registry"
                                                                  : "--registry-tls-verify=false") +
              "\n";
    }
  }
  if (!charm.empty()) {
    text +=
        "  charm:         # charmcraft pack\n"
        "    uses: charm-pack\n"
        "    with:\n"
        "      project: " +
        quoted(charm) +
        "\n"
        "      output: .   # beside the rock, outside the rock's sources\n";
  }
  text +=
      "  refresh:       # juju refresh APP --path ./APP.charm --resource "
      "IMAGE=REGISTRY/...@sha256:...\n"
      "    uses: juju-refresh\n"
      "    with:\n"
      "      application: " +
      quoted(settings.application.empty() ? "${{ steps.charm.outputs.name }}"
                                          : settings.application) +
      "\n";
  if (!charm.empty()) {
    text += "      path: \"${{ steps.charm.outputs.charm }}\"\n";
  }
  if (rock) {
    // By digest, never by tag: an unchanged tag would leave Kubernetes on the old image.
    const std::string resource = settings.image_resource.empty()
                                     ? "${{ steps.charm.outputs.resources }}"
                                     : settings.image_resource;
    text += "      resource: [" + quoted(resource + "=${{ steps.push.outputs.pinned }}") + "]\n";
  }
  if (!settings.juju_available) {
    text += "      dry-run: true   # no juju client here: print the command instead\n";
  }
  return text;
}

}  // namespace gantry::host
