#include "charm_pack_step.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <map>

#include "charm_contents.hpp"
#include "charm_project.hpp"
#include "charm_writer.hpp"
#include "env_contract.hpp"
#include "gantry/archive/tar_writer.hpp"
#include "gantry/python/pip_target.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/value.hpp"
#include "gantry/yaml/pyyaml_emitter.hpp"
#include "venv_builder.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVersion = "0.1.0";

fs::path resolved(const sdk::Context& context, const fs::path& path) {
  fs::path full =
      (path.is_relative() ? context.working_directory() / path : path).lexically_normal();
  return full.has_filename() ? full : full.parent_path();  // "/x/./" is "/x"
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

/// The targets to build: the one --platform names, else all of them.
std::vector<const BuildTarget*> chosen_targets(const CharmProject& project,
                                               const std::string& asked) {
  std::vector<const BuildTarget*> out;
  std::vector<std::string> labels;
  for (const auto& target : project.targets) {
    labels.push_back(target.platform);
    if (asked.empty() || target.platform == asked) {
      out.push_back(&target);
    }
  }
  if (out.empty()) {
    throw Error("charmcraft.yaml has no platform '" + asked + "'",
                "Choose one of its platforms: " + joined(labels, ", ") + ".");
  }
  return out;
}

/// Every charm-libs entry must be vendored under lib/: charmcraft would fetch it from
/// Charmhub, which gantry does not reach.
void check_charm_libs(const CharmProject& project) {
  std::vector<std::string> missing;
  for (const auto& lib : project.charm_libs) {
    if (!fs::is_regular_file(project.dir / lib.path())) {
      missing.push_back(lib.charm + "." + lib.library + " v" + lib.version + " (" +
                        lib.path().string() + ")");
    }
  }
  if (!missing.empty()) {
    throw Error("charm-libs names " + std::to_string(missing.size()) + " librar" +
                    (missing.size() == 1 ? "y" : "ies") +
                    " that lib/ does not have: " + joined(missing, ", "),
                "Fetch them into lib/ with `charmcraft fetch-libs` (it needs Charmhub), or copy "
                "them from another charm; gantry packs what lib/ holds and does not download "
                "libraries.");
  }
}

/// SOURCE_DATE_EPOCH, else the newest modification time among the files that go into the
/// charm, so the same inputs give the same charm whenever and wherever they are packed.
std::int64_t input_epoch(const std::vector<ProjectFile>& files, const CharmProject& project) {
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    return archive::reproducible_mtime();
  }
  std::int64_t newest = 0;
  for (const auto& file : files) {
    newest = std::max(newest, file.mtime);
  }
  for (const char* name : {"charmcraft.yaml", "metadata.yaml", "config.yaml", "actions.yaml"}) {
    struct stat status {};
    if (::stat((project.dir / name).c_str(), &status) == 0) {
      newest = std::max<std::int64_t>(newest, status.st_mtim.tv_sec);
    }
  }
  return newest;
}

std::vector<ProjectFile> dumped_files(const CharmProject& project) {
  std::vector<ProjectFile> out;
  for (const auto& source : project.dump_sources) {
    const fs::path dir = (project.dir / source).lexically_normal();
    if (dir == project.dir.lexically_normal() || dir == project.dir / "." ||
        !fs::is_directory(dir)) {
      continue;  // the project's own files are there already
    }
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (entry.is_regular_file()) {
        const auto perms = fs::status(entry.path()).permissions();
        out.push_back({entry.path().lexically_relative(dir).generic_string(), entry.path(),
                       (perms & fs::perms::owner_exec) != fs::perms::none ? 0755U : 0644U, 0});
      }
    }
  }
  return out;
}

}  // namespace

v1::StepDescription CharmPackStep::describe() const {
  return sdk::Description("charm-pack", kVersion,
                          "Pack a charm from charmcraft.yaml, as charmcraft pack does, without LXD")
      .param({.name = "action",
              .type = v1::PARAM_TYPE_STRING,
              .default_value = sdk::string_value("pack"),
              .help = "pack, or clean to remove the build state (.gantry/charm-pack), as "
                      "charmcraft clean does."})
      .param({.name = "project",
              .type = v1::PARAM_TYPE_PATH,
              .default_value = sdk::parse_value(v1::PARAM_TYPE_PATH, "."),
              .help = "The directory holding charmcraft.yaml (charm/ in a 12-factor project)."})
      .param({.name = "platform",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The platform to pack (default: every platform, one .charm each)."})
      .param({.name = "output",
              .type = v1::PARAM_TYPE_PATH,
              .help = "Where the .charm files go (default: the project directory)."})
      .param({.name = "expand",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(false),
              .help = "Print the project with its extensions expanded, as charmcraft "
                      "expand-extensions does, and pack nothing."})
      .param({.name = "show-env",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = sdk::bool_value(false),
              .help = "Print each config option with the environment variable the 12-factor "
                      "workload sees (paas-charm's rule), and pack nothing."})
      .capability("cacheable")
      .capability("output-path:output")
      .capability("cache-env:SOURCE_DATE_EPOCH")
      .capability("cache-env:PIP_INDEX_URL")
      .capability("cache-env:PIP_FIND_LINKS")
      .output("charm", "The .charm file written; a comma-separated list with several platforms.")
      .output("name", "The charm's name.")
      .output("resources", "The charm's oci-image resources, comma-separated.");
}

void CharmPackStep::run(sdk::Context& context) {
  const fs::path project_dir = resolved(context, context.path("project"));
  const std::string action = context.string("action");
  if (action == "clean") {
    const fs::path state = project_dir / ".gantry" / "charm-pack";
    const auto removed = fs::remove_all(state);
    context.info(removed > 0 ? "Removed the build state in " + state.string()
                             : "There was no build state in " + state.string());
    return;
  }
  if (action != "pack") {
    throw Error("charm-pack does not know the action '" + action + "'",
                "Run `gantry charm-pack` to pack, or `gantry charm-pack clean`.");
  }
  const auto warn = [&](const std::string& message) { context.warn(message); };
  const CharmProject project = load_charm_project(project_dir, warn);
  context.output("name", project.name);
  context.output("resources", joined(project.oci_resources, ","));
  if (context.boolean("expand")) {
    context.report(yaml::dump_pyyaml(project.document));
    return;
  }
  const EnvContract contract = env_contract(project);
  if (context.boolean("show-env")) {
    context.report(project.framework == nullptr
                       ? "The charm uses no 12-factor extension: paas-charm maps no options.\n"
                       : format_contract(contract));
  }
  for (const auto& warning : contract.warnings) {
    context.warn(warning);
  }
  for (const auto& warning : migration_warnings(project)) {
    context.warn(warning);
  }
  if (context.boolean("show-env")) {
    return;
  }

  const auto targets =
      chosen_targets(project, context.has("platform") ? context.string("platform") : "");
  check_charm_libs(project);
  std::string entrypoint = "src/charm.py";
  if (!project.charm_parts.empty()) {
    entrypoint = project.charm_parts.front().entrypoint;
    if (!fs::is_regular_file(project_dir / entrypoint)) {
      throw Error("the charm's entry point " + entrypoint + " does not exist",
                  "Create it (charmcraft init writes one), or set charm-entrypoint in the "
                  "charm part.");
    }
    struct stat status {};
    if (::stat((project_dir / entrypoint).c_str(), &status) == 0 && (status.st_mode & 0100) == 0) {
      context.warn(entrypoint +
                   " is not executable; the charm carries it as 0755, since "
                   "dispatch runs it (chmod +x it to match)");
    }
  }
  const fs::path output =
      context.has("output") ? resolved(context, context.path("output")) : project_dir;
  fs::create_directories(output);
  const auto files = project_files(project, output == project_dir ? fs::path() : output, warn);
  const std::int64_t epoch = input_epoch(files, project);
  const fs::path state = project_dir / ".gantry" / "charm-pack";

  // Every venv first: a failing pip leaves no charm written for any platform.
  std::map<std::string, std::optional<fs::path>> venvs;
  for (const auto* target : targets) {
    const std::string python = python::ubuntu_python_version(target->channel);
    if (python.empty()) {
      throw Error("gantry does not know which Python ubuntu " + target->channel + " runs",
                  "Use base ubuntu@22.04 or ubuntu@24.04.");
    }
    const std::string key = python + "-" + target->build_for;
    if (venvs.count(key) == 0) {
      VenvRequest request;
      request.cache_dir = state;
      request.python_version = python;
      request.channel = target->channel;
      request.build_for = target->build_for;
      request.info = [&](const std::string& message) { context.info(message); };
      request.cancelled = [&] { return context.cancelled(); };
      venvs[key] = build_venv(project, request);
    }
  }
  std::vector<std::string> written;
  for (const auto* target : targets) {
    context.throw_if_cancelled();
    CharmInputs inputs;
    inputs.project = &project;
    inputs.target = target;
    inputs.files = &files;
    inputs.dumped = dumped_files(project);
    inputs.venv = venvs[python::ubuntu_python_version(target->channel) + "-" + target->build_for];
    inputs.epoch = epoch;
    inputs.entrypoint = entrypoint;
    const fs::path charm = write_charm(inputs, output, std::string("gantry-") + kVersion);
    context.info("Packed " + charm.filename().string());
    v1::Artifact artifact;
    artifact.set_kind("charm");
    artifact.set_path(charm.string());
    artifact.set_size(fs::file_size(charm));
    context.artifact(artifact);
    written.push_back(charm.string());
  }
  context.output("charm", joined(written, ","));
}

}  // namespace gantry::charm_pack
