#include "oci_push_step.hpp"

#include <filesystem>
#include <mutex>

#include "gantry/oci/credentials.hpp"
#include "gantry/oci/image_copier.hpp"
#include "gantry/oci/image_location.hpp"
#include "gantry/oci/image_transports.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::oci_push {
namespace {

using oci::ImageLocation;

/// A location with its file path resolved against the step's working directory.
ImageLocation locate(const std::string& text, const sdk::Context& context) {
  auto location = ImageLocation::parse(text);
  if ((location.transport == ImageLocation::Transport::kOciArchive ||
       location.transport == ImageLocation::Transport::kOciLayout) &&
      location.path.is_relative()) {
    location.path = context.working_directory() / location.path;
  }
  return location;
}

/// Registry options for one side: TLS, and credentials from the parameter or the usual
/// auth files.
oci::RegistryClient::Options registry_options(const ImageLocation& location, bool tls_verify,
                                              const sdk::Context& context,
                                              const std::string& side) {
  oci::RegistryClient::Options options;
  options.tls_verify = tls_verify;
  options.cancelled = [&context] { return context.cancelled(); };
  if (location.transport != ImageLocation::Transport::kRegistry) {
    return options;
  }
  const std::string creds_param = side == "src" ? "src-creds" : "creds";
  if (context.has(creds_param)) {
    options.credentials = oci::parse_creds_option(context.secret(creds_param).reveal());
    return options;
  }
  // skopeo: --src-authfile / --dest-authfile, else --authfile, else the usual files.
  std::filesystem::path authfile;
  if (context.has(side + "-authfile")) {
    authfile = context.string(side + "-authfile");
  } else if (context.has("authfile")) {
    authfile = context.string("authfile");
  }
  options.credentials = oci::find_credentials(location.reference.registry, authfile);
  return options;
}

std::string short_digest(const oci::Digest& digest) {
  return digest.algorithm() + ":" + digest.hex().substr(0, 12);
}

}  // namespace

v1::StepDescription OciPushStep::describe() const {
  return sdk::Description("oci-push", "1.0.0", "Copy an OCI image, as skopeo copy does")
      .param({.name = "source",
              .type = v1::PARAM_TYPE_STRING,
              .required = true,
              .help = "oci-archive:PATH[:TAG], oci:DIR[:TAG] or docker://HOST/REPO[:TAG]."})
      .param({.name = "destination",
              .type = v1::PARAM_TYPE_STRING,
              .required = true,
              .help = "docker://HOST/REPO:TAG, oci:DIR[:TAG] or oci-archive:PATH[:TAG]."})
      .param({.name = "tls-verify",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(true),
              .help = "Verify the destination registry's certificate; false also allows "
                      "plain http (as skopeo's --dest-tls-verify=false)."})
      .param({.name = "creds",
              .type = v1::PARAM_TYPE_STRING,
              .help = "USER:PASSWORD for the destination registry (default: auth files).",
              .secret = true})
      .param({.name = "src-tls-verify",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(true),
              .help = "Verify the source registry's certificate; false also allows plain http."})
      .param({.name = "src-creds",
              .type = v1::PARAM_TYPE_STRING,
              .help = "USER:PASSWORD for the source registry (default: auth files).",
              .secret = true})
      .param({.name = "authfile",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The auth.json to read credentials from, for both sides (skopeo's "
                      "--authfile); only that file is read."})
      .param({.name = "src-authfile",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The auth.json for the source registry."})
      .param({.name = "dest-authfile",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The auth.json for the destination registry."})
      .param({.name = "jobs",
              .type = v1::PARAM_TYPE_INT,
              .default_value = sdk::int_value(4),
              .help = "How many blobs to send at once (1 to 64).",
              .minimum = 1,
              .maximum = 64})
      .output("digest", "The manifest digest, sha256:….")
      .output("reference", "The destination, e.g. localhost:5000/app:0.2.")
      .output("pinned", "The destination by digest, e.g. localhost:5000/app@sha256:….");
}

void OciPushStep::run(sdk::Context& context) {
  const auto jobs = context.integer("jobs");
  const auto source_location = locate(context.string("source"), context);
  const auto destination_location = locate(context.string("destination"), context);
  const auto source = oci::open_source(
      source_location,
      registry_options(source_location, context.boolean("src-tls-verify"), context, "src"));
  const auto destination = oci::open_destination(
      destination_location,
      registry_options(destination_location, context.boolean("tls-verify"), context, "dest"),
      source_location);

  context.info("Copying " + source->description() + " (" +
               source->manifest_descriptor().digest.str() + ") to " + destination->description());
  std::mutex log_mutex;
  oci::CopyOptions options;
  options.jobs = static_cast<std::size_t>(jobs);
  options.cancelled = [&] { return context.cancelled(); };
  options.progress = [&](const oci::BlobProgress& progress) {
    const std::string label = "blob " + short_digest(progress.digest);
    context.progress(label, progress.done, progress.total, "bytes");
    if (progress.skipped) {
      const std::lock_guard lock(log_mutex);
      context.info("Skipping " + label + ": the destination has it");
    }
  };
  const auto result = oci::copy_image(*source, *destination, options);

  std::uint64_t size = source->manifest_descriptor().size;
  size += static_cast<std::uint64_t>(source->manifest().config.size);
  for (const auto& layer : source->manifest().layers) {
    size += static_cast<std::uint64_t>(layer.size);
  }
  if (result.unchanged) {
    context.info(destination->description() + " already holds " + result.manifest_digest.str() +
                 ": nothing to push");
    context.mark_up_to_date();
  } else {
    context.info("Wrote manifest " + result.manifest_digest.str() + " (" +
                 std::to_string(result.blobs_sent) + " blobs sent, " +
                 std::to_string(result.blobs_skipped) + " already there)");
  }
  v1::Artifact artifact;
  artifact.set_kind("oci-image");
  artifact.set_reference(result.pinned);
  artifact.set_digest(result.manifest_digest.str());
  artifact.set_size(size);
  context.artifact(artifact);
  context.output("digest", result.manifest_digest.str());
  context.output("reference", result.reference);
  context.output("pinned", result.pinned);
}

}  // namespace gantry::oci_push
