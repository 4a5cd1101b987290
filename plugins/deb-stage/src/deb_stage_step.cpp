#include "deb_stage_step.hpp"

#include "gantry/deb/apt_source.hpp"
#include "gantry/deb/stager.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::deb_stage {
namespace {

std::filesystem::path resolved(const sdk::Context& context, const std::filesystem::path& path) {
  return path.is_relative() ? context.working_directory() / path : path;
}

}  // namespace

v1::StepDescription DebStageStep::describe() const {
  return sdk::Description("deb-stage", "1.0.0",
                          "Stage Debian packages and their dependencies into a directory")
      .param({.name = "packages",
              .type = v1::PARAM_TYPE_LIST,
              .required = true,
              .help = "Packages to stage, NAME or NAME=VERSION, e.g. python3-flask,libpq5."})
      .param({.name = "into",
              .type = v1::PARAM_TYPE_PATH,
              .required = true,
              .help = "The directory to unpack into (created when missing)."})
      .param({.name = "arch",
              .type = v1::PARAM_TYPE_STRING,
              .help = "Debian architecture, e.g. amd64 (default: this machine's)."})
      .param({.name = "sources",
              .type = v1::PARAM_TYPE_PATH,
              .help = "An apt sources file, one-line or deb822 (default: /etc/apt)."})
      .param({.name = "exclude",
              .type = v1::PARAM_TYPE_LIST,
              .help = "Packages the target already has: neither they nor what only they "
                      "need are staged."})
      .param({.name = "base-status",
              .type = v1::PARAM_TYPE_PATH,
              .help = "A dpkg status file (e.g. a base image's): its installed packages are "
                      "not staged."})
      .param({.name = "cache-dir",
              .type = v1::PARAM_TYPE_PATH,
              .help = "Where indexes and .debs are cached (default: "
                      "${XDG_CACHE_HOME:-~/.cache}/gantry/deb)."})
      .param({.name = "jobs",
              .type = v1::PARAM_TYPE_INT,
              .default_value = sdk::int_value(8),
              .help = "How many downloads run at once (1 to 64).",
              .minimum = 1,
              .maximum = 64})
      .param({.name = "link",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(false),
              .help = "Hard-link staged files to the cache instead of copying them (faster; "
                      "only when nothing will modify the staged tree)."})
      .output("dir", "The directory the packages were staged into.")
      .output("packages",
              "name=version of every staged package, comma-separated, in "
              "unpacking order.");
}

void DebStageStep::run(sdk::Context& context) {
  const auto jobs = context.integer("jobs");
  deb::StageRequest request;
  request.packages = context.list("packages");
  request.into = resolved(context, context.path("into"));
  request.jobs = static_cast<int>(jobs);
  if (context.has("arch")) {
    request.architecture = context.string("arch");
  }
  if (context.has("sources")) {
    request.sources = deb::load_sources_file(resolved(context, context.path("sources")));
    if (request.sources.empty()) {
      throw Error("the sources file " + context.path("sources").string() + " names no 'deb' source",
                  "Add a line like 'deb http://deb.debian.org/debian bookworm main'.");
    }
  }
  if (context.has("exclude")) {
    request.exclude = context.list("exclude");
  }
  if (context.has("base-status")) {
    request.base_status = resolved(context, context.path("base-status"));
  }
  if (context.has("cache-dir")) {
    request.cache_dir = resolved(context, context.path("cache-dir"));
  }
  if (context.boolean("link")) {
    request.cached_files = deb::StagingTree::CachedFiles::kHardLink;
  }

  deb::StageReporter reporter;
  reporter.info = [&](const std::string& message) { context.info(message); };
  reporter.warn = [&](const std::string& message) { context.warn(message); };
  reporter.progress = [&](const std::string& label, std::uint64_t done, std::uint64_t total,
                          const std::string& unit) { context.progress(label, done, total, unit); };
  reporter.cancelled = [&] { return context.cancelled(); };
  const auto result = deb::stage_packages(request, reporter);

  std::string packages;
  for (const auto& package : result.packages) {
    packages += (packages.empty() ? "" : ",") + package.name + "=" + package.version;
  }
  context.info("Staged " + std::to_string(result.packages.size()) + " packages into " +
               request.into.string());
  v1::Artifact artifact;
  artifact.set_kind("directory");
  artifact.set_path(request.into.string());
  context.artifact(artifact);
  context.output("dir", request.into.string());
  context.output("packages", packages);
}

}  // namespace gantry::deb_stage
