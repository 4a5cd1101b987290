#include "rock_pack_step.hpp"

#include <sys/stat.h>

#include <cstdlib>

#include "extensions/apply_extensions.hpp"
#include "extensions/expanded_yaml.hpp"
#include "gantry/archive/tar_writer.hpp"
#include "gantry/deb/apt_source.hpp"
#include "gantry/oci/credentials.hpp"
#include "gantry/oci/image_location.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/project_files.hpp"
#include "gantry/sdk/value.hpp"
#include "parts_lifecycle.hpp"
#include "rock_image.hpp"
#include "rock_project.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

fs::path resolved(const sdk::Context& context, const fs::path& path) {
  fs::path full =
      (path.is_relative() ? context.working_directory() / path : path).lexically_normal();
  return full.has_filename() ? full : full.parent_path();  // "/x/./" is "/x"
}

/// The platform to build: the one asked for, or the only one there is.
const Platform& chosen_platform(const RockProject& project, const std::string& asked) {
  if (!asked.empty()) {
    for (const auto& platform : project.platforms) {
      if (platform.label == asked) {
        return platform;
      }
    }
    std::string labels;
    for (const auto& platform : project.platforms) {
      labels += (labels.empty() ? "" : ", ") + platform.label;
    }
    throw Error("rockcraft.yaml has no platform '" + asked + "'",
                "Choose one of its platforms: " + labels + ".");
  }
  if (project.platforms.size() != 1) {
    std::string labels;
    for (const auto& platform : project.platforms) {
      labels += (labels.empty() ? "" : ", ") + platform.label;
    }
    throw Error("rockcraft.yaml has " + std::to_string(project.platforms.size()) +
                    " platforms; gantry packs one at a time",
                "Choose one with --platform (" + labels + ").");
  }
  return project.platforms.front();
}

/// SOURCE_DATE_EPOCH, else the newest modification time among the project's files, so
/// that the same inputs give the same rock whenever they are packed.
std::int64_t input_epoch(const fs::path& project_dir, const fs::path& output_dir) {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    return archive::reproducible_mtime();
  }
  std::int64_t newest = 0;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(project_dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const auto name = it->path().lexically_relative(project_dir).generic_string();
    if (sdk::left_out_of_sources(name) || it->path() == output_dir) {
      it.disable_recursion_pending();
      continue;
    }
    struct stat status {};
    if (::lstat(it->path().c_str(), &status) == 0 && !S_ISDIR(status.st_mode)) {
      newest = std::max<std::int64_t>(newest, status.st_mtim.tv_sec);
    }
  }
  return newest;
}

/// Local part sources outside the project directory are inputs the host's step cache
/// cannot see from the `project` parameter: say so (the extensions' data files included).
void declare_inputs_outside(sdk::Context& context, const RockProject& project,
                            const fs::path& project_dir) {
  for (const auto& part : project.parts) {
    const bool remote = part.source.empty() || part.source_type == "git" ||
                        part.source.find("://") != std::string::npos ||
                        part.source.starts_with("git@") || part.source.ends_with(".git");
    if (remote) {
      continue;
    }
    const fs::path source = (project_dir / part.source).lexically_normal();
    const auto inside = source.lexically_relative(project_dir);
    if (inside.empty() || *inside.begin() == "..") {
      context.input(source);
    }
  }
}

}  // namespace

v1::StepDescription RockPackStep::describe() const {
  return sdk::Description("rock-pack", "0.1.0",
                          "Pack a rock from rockcraft.yaml, as rockcraft pack does, without LXD")
      .param({.name = "action",
              .type = v1::PARAM_TYPE_STRING,
              .default_value = sdk::string_value("pack"),
              .help = "pack, or clean to remove the build state (.gantry/rock-pack), as "
                      "rockcraft clean does."})
      .param({.name = "expand",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(false),
              .help = "Print rockcraft.yaml with its extensions expanded, as rockcraft "
                      "expand-extensions does, and pack nothing."})
      .param({.name = "project",
              .type = v1::PARAM_TYPE_PATH,
              .default_value = sdk::parse_value(v1::PARAM_TYPE_PATH, "."),
              .help = "The directory holding rockcraft.yaml."})
      .param({.name = "platform",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The platform label to pack (needed when there are several)."})
      .param({.name = "output",
              .type = v1::PARAM_TYPE_PATH,
              .help = "Where the .rock goes (default: the project directory)."})
      .param({.name = "pebble",
              .type = v1::PARAM_TYPE_PATH,
              .help = "The Pebble binary to put in the rock (default: $GANTRY_PEBBLE)."})
      .param({.name = "apt-sources",
              .type = v1::PARAM_TYPE_PATH,
              .help = "An apt sources file for stage-packages (default: this machine's)."})
      .param({.name = "base-image",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The image an ubuntu@ base comes from, as skopeo names images "
                      "(docker://HOST/REPO:TAG, oci:DIR:TAG, oci-archive:FILE:TAG); default: "
                      "docker://public.ecr.aws/ubuntu/ubuntu:VERSION, as rockcraft uses. Give "
                      "a mirror or a local copy to work offline."})
      .param({.name = "base-tls-verify",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(true),
              .help = "Verify the base image registry's certificate (false also allows "
                      "plain http)."})
      .param({.name = "single-layer",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(false),
              .help = "Put every primed file in one layer, as rockcraft does, instead of one "
                      "layer per part."})
      .capability("cacheable")
      .capability("output-path:output")
      .capability("cache-env:GANTRY_PEBBLE")
      .capability("cache-env:SOURCE_DATE_EPOCH")
      .output("rock", "The .rock file written.")
      .output("digest", "The rock's manifest digest, sha256:….")
      .output("version", "The rock's version (its tag).")
      .output("name", "The rock's name.");
}

void RockPackStep::run(sdk::Context& context) {
  const fs::path project_dir = resolved(context, context.path("project"));
  const std::string action = context.string("action");
  if (action == "clean") {
    const fs::path state = project_dir / ".gantry" / "rock-pack";
    const auto removed = fs::remove_all(state);
    context.info(removed > 0 ? "Removed the build state in " + state.string()
                             : "There was no build state in " + state.string());
    return;
  }
  if (action != "pack") {
    throw Error("rock-pack does not know the action '" + action + "'",
                "Run `gantry rock-pack` to pack, or `gantry rock-pack clean`.");
  }
  const fs::path file = project_dir / "rockcraft.yaml";
  const auto warn = [&](const std::string& message) { context.warn(message); };
  RockProject project = load_rock_project(file, warn);
  if (context.boolean("expand")) {
    context.report(expanded_yaml(project.document));
    return;
  }
  write_extension_files(project_dir / ".gantry" / "rock-pack" / "extensions", project.extensions);
  declare_inputs_outside(context, project, project_dir);
  const Platform& platform = chosen_platform(
      project, context.has("platform") ? context.string("platform") : std::string());
  LifecycleOptions lifecycle;
  lifecycle.project_dir = project_dir;
  lifecycle.work_dir = project_dir / ".gantry" / "rock-pack" / platform.label;
  lifecycle.build_for = platform.build_for;
  lifecycle.output_dir =
      context.has("output") ? resolved(context, context.path("output")) : project_dir;
  if (context.has("apt-sources")) {
    lifecycle.apt_sources = deb::load_sources_file(resolved(context, context.path("apt-sources")));
  }
  lifecycle.info = [&](const std::string& message) { context.info(message); };
  lifecycle.warn = warn;
  lifecycle.cancelled = [&] { return context.cancelled(); };
  lifecycle.layers_from_sources = !context.boolean("single-layer");
  const auto primed = run_lifecycle(project, lifecycle);
  if (!project.adopt_info.empty()) {
    for (const auto* key : {"version", "summary", "description"}) {
      const auto found = primed.craftctl_values.find(key);
      std::string& field = std::string(key) == "version"   ? project.version
                           : std::string(key) == "summary" ? project.summary
                                                           : project.description;
      if (found != primed.craftctl_values.end()) {
        field = found->second;
        if (std::string(key) == "version" && !is_valid_version(field)) {
          throw Error("part '" + project.adopt_info + "' set the version '" + field +
                          "', which is not a valid version",
                      "Valid versions consist of upper- and lower-case alphanumeric characters, "
                      "periods, colons, plus signs, tildes and hyphens, at most 32; they start "
                      "with a letter or digit.");
        }
      } else if (field.empty()) {
        throw Error(std::string("Project field '") + key + "' was not set.",
                    std::string("Set it in rockcraft.yaml, or with `craftctl set ") + key +
                        "=...` in part '" + project.adopt_info + "'.");
      }
    }
  }

  RockImageOptions image;
  image.platform_label = platform.label;
  image.build_for = platform.build_for;
  image.output_dir =
      context.has("output") ? resolved(context, context.path("output")) : project_dir;
  if (context.has("pebble")) {
    image.pebble = resolved(context, context.path("pebble"));
  } else if (const char* pebble = std::getenv("GANTRY_PEBBLE"); pebble != nullptr && *pebble) {
    image.pebble = pebble;
  }
  image.single_layer = context.boolean("single-layer");
  if (project.base != "bare") {
    const std::string release = project.base.substr(project.base.find('@') + 1);
    const std::string reference = context.has("base-image")
                                      ? context.string("base-image")
                                      : "docker://public.ecr.aws/ubuntu/ubuntu:" + release;
    image.base_image = oci::ImageLocation::parse(reference);
    if (image.base_image->transport == oci::ImageLocation::Transport::kOciArchive ||
        image.base_image->transport == oci::ImageLocation::Transport::kOciLayout) {
      context.input(image.base_image->path);  // a local base image is an input too
    }
    image.base_options.tls_verify = context.boolean("base-tls-verify");
    image.base_options.cancelled = [&] { return context.cancelled(); };
    if (image.base_image->transport == oci::ImageLocation::Transport::kRegistry) {
      image.base_options.credentials = oci::find_credentials(image.base_image->reference.registry);
    }
  }
  image.epoch = input_epoch(project_dir, lifecycle.output_dir);
  struct stat definition {};
  image.definition_epoch =
      std::getenv("SOURCE_DATE_EPOCH") != nullptr || ::stat(file.c_str(), &definition) != 0
          ? image.epoch
          : std::min<std::int64_t>(definition.st_mtim.tv_sec, image.epoch);
  image.layer_cache = lifecycle.work_dir / "cache" / "layers";
  image.base_cache = lifecycle.work_dir / "cache" / "base";
  image.warn = warn;
  image.cancelled = [&] { return context.cancelled(); };
  const auto rock = write_rock(project, primed, image);

  context.info("Packed " + rock.file.filename().string() + " (" + rock.manifest_digest.str() + ")");
  v1::Artifact artifact;
  artifact.set_kind("rock");
  artifact.set_path(rock.file.string());
  artifact.set_digest(rock.manifest_digest.str());
  artifact.set_size(fs::file_size(rock.file));
  context.artifact(artifact);
  context.output("rock", rock.file.string());
  context.output("digest", rock.manifest_digest.str());
  context.output("version", project.version);
  context.output("name", project.name);
}

}  // namespace gantry::rock_pack
