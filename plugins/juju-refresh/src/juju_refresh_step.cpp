#include "juju_refresh_step.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include "charm_archive.hpp"
#include "deployment_record.hpp"
#include "duration.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/oci/credentials.hpp"
#include "gantry/oci/registry_client.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/value.hpp"
#include "juju_cli.hpp"
#include "juju_status.hpp"
#include "refresh_arguments.hpp"
#include "stale_image_guard.hpp"

namespace gantry::juju {
namespace {

using Clock = std::chrono::steady_clock;

std::optional<std::string> optional_string(const sdk::Context& context, const char* name) {
  return context.has(name) ? std::optional<std::string>(context.string(name)) : std::nullopt;
}

/// Refuses with a diagnostic naming the parameter, then fails the step.
[[noreturn]] void refuse(sdk::Context& context, const std::string& param,
                         const std::string& summary, const std::string& resolution) {
  v1::Diagnostic diagnostic;
  diagnostic.set_severity(v1::SEVERITY_ERROR);
  diagnostic.set_summary(summary);
  diagnostic.set_detail(resolution);
  diagnostic.set_param(param);
  context.diagnostic(diagnostic);
  throw Error(summary, resolution);
}

std::string model_name(const std::string& model) {
  return model.empty() ? "the current model" : "model " + model;
}

RefreshRequest request_from(const sdk::Context& context) {
  RefreshRequest request;
  request.application = context.string("application");
  if (context.has("path")) {
    request.path = context.path("path").string();
  }
  for (const auto& resource : context.list("resource")) {
    request.resources.push_back(split_resource(resource));
  }
  if (context.has("revision")) {
    request.revision = context.integer("revision");
  }
  request.channel = optional_string(context, "channel");
  request.switch_to = optional_string(context, "switch");
  request.base = optional_string(context, "base");
  request.trust = context.boolean("trust");
  request.force_units = context.boolean("force-units");
  return request;
}

/// The registry lookup behind the stale-image guard.
DigestLookup registry_lookup(const sdk::Context& context) {
  return [&context](const oci::ImageReference& reference) {
    oci::RegistryClient::Options options;
    options.tls_verify = context.boolean("registry-tls-verify");
    options.retry.attempts = 2;
    options.cancelled = [&context] { return context.cancelled(); };
    options.credentials = context.has("registry-creds")
                              ? oci::parse_creds_option(context.secret("registry-creds").reveal())
                              : oci::find_credentials(reference.registry);
    oci::RegistryClient client(reference.api_host(), options);
    const auto digest = client.manifest_digest(reference.repository, reference.tag);
    if (!digest) {
      throw Error("the registry has no " + reference.str());
    }
    return *digest;
  };
}

/// --dry-run on a machine without a juju client (the README's example, CI): what can be
/// checked offline is (the request, the charm file and the resources it declares), the
/// exact `juju refresh` command is printed, and the step says what it could not check.
void dry_run_without_juju(sdk::Context& context, const Error& missing) {
  const auto request = request_from(context);
  check_combination(request);
  if (request.path) {
    const std::filesystem::path path(*request.path);
    const auto charm =
        read_charm_archive(path.is_relative() ? context.working_directory() / path : path);
    for (const auto& [name, value] : request.resources) {
      if (!charm.resources.contains(name)) {
        std::string declared;
        for (const auto& [candidate, type] : charm.resources) {
          declared += (declared.empty() ? "" : ", ") + candidate;
        }
        refuse(
            context, "resource", path.filename().string() + " declares no resource '" + name + "'",
            "Its metadata.yaml declares: " + (declared.empty() ? std::string("none") : declared) +
                ".");
      }
    }
  }
  std::vector<std::string> command{"juju"};
  const auto args = refresh_arguments(request);
  command.insert(command.end(), args.begin(), args.end());
  if (context.has("model")) {
    command.insert(command.begin() + 2, {"-m", context.string("model")});
  }
  context.warn(std::string(missing.what()) +
               ": dry run without juju, so the application's status and deployed resources "
               "were not checked and nothing was refreshed");
  context.info("would run: " + shell_words(command));
  std::string resources;
  for (const auto& [name, value] : request.resources) {
    resources += (resources.empty() ? "" : ",") + name + "=" + value;
  }
  context.output("application", request.application);
  context.output("revision", "");
  context.output("resources", resources);
}

class Refresh {
 public:
  explicit Refresh(sdk::Context& context)
      : context_(context),
        request_(request_from(context)),
        model_(context.has("model") ? context.string("model") : ""),
        juju_(JujuCli::locate(optional_string(context, "juju"), context.working_directory()),
              model_, [&context] { return context.cancelled(); }),
        record_(context.working_directory() / ".gantry" / "deployments.json") {}

  void run() {
    check_combination(request_);
    const auto& app = request_.application;
    const auto before = application_status();
    context_.info(app + " runs " + before.charm + " (revision " + std::to_string(before.charm_rev) +
                  ", " + (before.charm_origin.empty() ? "unknown origin" : before.charm_origin) +
                  "), " + std::to_string(before.units.size()) + " unit(s)");
    if (before.charm_origin == "local" && !request_.path && !request_.switch_to) {
      refuse(context_, "path",
             app +
                 " runs a charm deployed from a local path, so juju refresh needs the "
                 "charm file",
             "Pass --path ./" + (before.charm_name.empty() ? app : before.charm_name) +
                 "_*.charm (with --resource for its image), as `juju refresh` requires.");
    }
    if (request_.path) {
      check_charm_file(before);
    }
    check_resources();
    if (!context_.boolean("dry-run") && already_deployed(before)) {
      context_.info(app + " already runs this charm (revision " + std::to_string(before.charm_rev) +
                    ") and these images, as gantry deployed them: nothing to refresh");
      context_.mark_up_to_date();
      if (context_.boolean("wait")) {
        wait_until_settled(before.charm_rev);
      }
      set_outputs(before.charm_rev);
      return;
    }

    const auto args = refresh_arguments(request_);
    const auto command = shell_words(juju_.command(args));
    if (context_.boolean("dry-run")) {
      context_.info("would run: " + command);
      set_outputs(before.charm_rev);
      return;
    }
    context_.info("running: " + command);
    juju_.run(args, [this](sdk::OutputStream stream, std::string_view line) {
      context_.log(
          v1::LOG_LEVEL_INFO, line,
          stream == sdk::OutputStream::kStdout ? v1::LOG_STREAM_STDOUT : v1::LOG_STREAM_STDERR);
    });
    remember_images();
    const auto after = application_status();
    remember_charm(after);
    if (context_.boolean("wait")) {
      wait_until_settled(after.charm_rev);
    }
    set_outputs(after.charm_rev);
  }

 private:
  ApplicationStatus application_status() {
    auto status = find_application(juju_.status(request_.application), request_.application);
    if (!status) {
      refuse(context_, "application",
             "application " + request_.application + " is not in " + model_name(model_),
             "Check the name with `juju status`" +
                 std::string(model_.empty() ? " (or pass --model)" : "") +
                 ", or deploy it first with `juju deploy`.");
    }
    return *status;
  }

  /// A local .charm: read what Juju will read, and refuse one for another base before
  /// `juju refresh` runs.
  void check_charm_file(const ApplicationStatus& before) {
    const std::filesystem::path path(*request_.path);
    const auto file = path.is_relative() ? context_.working_directory() / path : path;
    charm_ = read_charm_archive(file);
    std::ifstream in(file, std::ios::binary);
    net::Sha256 hash;
    std::array<char, 1 << 16> buffer{};
    while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
      hash.update({buffer.data(), static_cast<std::size_t>(in.gcount())});
    }
    charm_digest_ = hash.finish().str();
    if (before.base.empty() || charm_->bases.empty() || request_.base) {
      return;
    }
    std::string bases;
    for (const auto& base : charm_->bases) {
      if (base == before.base) {
        return;
      }
      bases += (bases.empty() ? "" : ", ") + base;
    }
    refuse(context_, "path",
           path.filename().string() + " is built for " + bases + ", but " + request_.application +
               " runs on " + before.base,
           "Pack the charm for " + before.base + " (base: " + before.base +
               " in charmcraft.yaml, or its platform), or change the application's base with "
               "--base.");
  }

  void check_resources() {
    if (request_.resources.empty()) {
      return;
    }
    deployed_ = parse_resources(juju_.resources(request_.application));
    const auto lookup = registry_lookup(context_);
    for (const auto& [name, value] : request_.resources) {
      const DeployedResource* resource = nullptr;
      std::string names;
      for (const auto& candidate : deployed_) {
        names += (names.empty() ? "" : ", ") + candidate.name;
        if (candidate.name == name) {
          resource = &candidate;
        }
      }
      DeployedResource added;
      if (charm_) {
        // The new charm's metadata.yaml decides: a new revision may add a resource (not
        // deployed yet) or drop one.
        const auto declared = charm_->resources.find(name);
        if (declared == charm_->resources.end()) {
          std::string declared_names;
          for (const auto& [candidate, type] : charm_->resources) {
            declared_names += (declared_names.empty() ? "" : ", ") + candidate;
          }
          refuse(context_, "resource",
                 std::filesystem::path(*request_.path).filename().string() +
                     " declares no resource '" + name + "'",
                 "Its metadata.yaml declares: " +
                     (declared_names.empty() ? std::string("none") : declared_names) + ".");
        }
        if (resource == nullptr) {
          added.name = name;
          added.type = declared->second;
          resource = &added;
          context_.info("resource " + name + " is new in this charm (" + declared->second + ")");
        }
      }
      if (resource == nullptr) {
        refuse(context_, "resource",
               "the charm of " + request_.application + " has no resource '" + name + "'",
               "Its resources: " + (names.empty() ? std::string("none") : names) + ".");
      }
      if (resource->type != "oci-image") {
        continue;
      }
      oci::ImageReference reference;
      try {
        reference = oci::ImageReference::parse(value);
      } catch (const Error&) {
        continue;  // a file of image details, not a registry reference
      }
      const auto deployed = record_.find(DeploymentRecord::key(model_, request_.application, name));
      const auto verdict =
          judge_image(request_.application, name, reference, deployed, resource->revision, lookup);
      if (verdict.kind == ImageVerdict::Kind::kStale) {
        refuse(context_, "resource", verdict.message,
               "Bump `version` in rockcraft.yaml so that the image gets a new tag, or deploy it "
               "by digest: --resource " +
                   name + "=" + reference.pinned(*verdict.digest) +
                   " (what oci-push outputs as `pinned`).");
      }
      if (verdict.kind == ImageVerdict::Kind::kUnknown) {
        context_.warn(verdict.message);
      }
      if (verdict.digest) {
        images_[name] = {value, verdict.digest->str(), ""};
      }
    }
  }

  /// True when the application already runs what this refresh would give it: the charm
  /// file (by sha256) and every image (by digest) as gantry recorded deploying them, at
  /// the charm and resource revisions juju still reports (so nobody refreshed since).
  /// A refresh to a store revision, channel, other charm or base always runs.
  [[nodiscard]] bool already_deployed(const ApplicationStatus& before) const {
    if (request_.revision || request_.channel || request_.switch_to || request_.base ||
        (!request_.path && request_.resources.empty())) {
      return false;
    }
    // Without --model, juju's current model is whichever `juju switch` chose last: the
    // records count only for the model juju's status names.
    if (model_.empty() && (before.model.empty() || !request_.path)) {
      return false;
    }
    if (request_.path) {
      const auto recorded = record_.find(charm_key(before));
      if (!recorded || recorded->digest != charm_digest_ ||
          recorded->juju_revision != std::to_string(before.charm_rev)) {
        return false;
      }
    }
    for (const auto& [name, value] : request_.resources) {
      const auto wanted = images_.find(name);
      const auto recorded = record_.find(DeploymentRecord::key(model_, request_.application, name));
      if (wanted == images_.end() || !recorded || recorded->digest != wanted->second.digest) {
        return false;  // not an image, not known, or another one
      }
      const std::string& resource_name = name;  // a lambda may not capture a binding (clang 14)
      const auto deployed =
          std::find_if(deployed_.begin(), deployed_.end(),
                       [&](const auto& resource) { return resource.name == resource_name; });
      if (deployed == deployed_.end() || deployed->revision != recorded->juju_revision) {
        return false;
      }
    }
    return true;
  }

  /// The record of the charm file: under a name no resource can have, for the model
  /// given or, without one, the model juju's status names.
  [[nodiscard]] std::string charm_key(const ApplicationStatus& status) const {
    return DeploymentRecord::key(model_.empty() ? status.model : model_, request_.application,
                                 "(charm)");
  }

  /// Records the charm file deployed, with the revision juju gave it.
  void remember_charm(const ApplicationStatus& after) {
    if (!request_.path || (model_.empty() && after.model.empty())) {
      return;
    }
    record_.set(charm_key(after), {*request_.path, charm_digest_, std::to_string(after.charm_rev)});
    record_.save();
  }

  /// Records the images deployed, with the revisions juju gave them.
  void remember_images() {
    if (images_.empty()) {
      return;
    }
    for (const auto& resource : parse_resources(juju_.resources(request_.application))) {
      const auto found = images_.find(resource.name);
      if (found != images_.end()) {
        found->second.juju_revision = resource.revision;
        record_.set(DeploymentRecord::key(model_, request_.application, resource.name),
                    found->second);
      }
    }
    record_.save();
  }

  void wait_until_settled(long target_revision) {
    const auto timeout = parse_duration(context_.string("timeout"));
    const auto interval = parse_duration(context_.string("poll-interval"));
    const auto deadline = Clock::now() + timeout;
    std::map<std::string, std::string> seen;
    while (true) {
      const auto status = application_status();
      const auto settling = assess(status, target_revision);
      std::string waiting_on;
      for (const auto& unit : status.units) {
        const std::string state =
            unit.workload + "/" + unit.agent +
            (unit.workload_message.empty() ? "" : ": " + unit.workload_message);
        if (seen[unit.name] != state) {
          seen[unit.name] = state;
          context_.info(unit.name + " " + state);
        }
        if (!(unit.workload == "active" && unit.agent == "idle" && unit.upgrading_from.empty())) {
          waiting_on += (waiting_on.empty() ? "" : "; ") + unit.name + " is " + state;
        }
      }
      context_.progress("units settled", settling.settled, status.units.size(), "units");
      if (settling.state == Settling::State::kSettled) {
        context_.info(request_.application + " settled on revision " +
                      std::to_string(status.charm_rev));
        return;
      }
      if (settling.state == Settling::State::kFailed) {
        throw Error(settling.detail,
                    "See `juju debug-log --include " + request_.application +
                        "`. A 12-factor charm is blocked when migrate.sh fails: fix it, build "
                        "again and refresh.");
      }
      if (Clock::now() >= deadline) {
        throw Error(
            "timed out after " + context_.string("timeout") + " waiting for " +
                request_.application + " to settle" +
                (waiting_on.empty() ? " on revision " + std::to_string(target_revision)
                                    : ": " + waiting_on),
            "Wait longer with --timeout, or look at `juju status " + request_.application + "`.");
      }
      for (auto slept = std::chrono::milliseconds(0); slept < interval;
           slept += std::chrono::milliseconds(50)) {
        context_.throw_if_cancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }

  void set_outputs(long revision) {
    std::string resources;
    for (const auto& [name, value] : request_.resources) {
      resources += (resources.empty() ? "" : ",") + name + "=" + value;
    }
    context_.output("application", request_.application);
    context_.output("revision", std::to_string(revision));
    context_.output("resources", resources);
  }

  sdk::Context& context_;
  RefreshRequest request_;
  std::string model_;
  JujuCli juju_;
  DeploymentRecord record_;
  std::vector<DeployedResource> deployed_;
  std::optional<CharmArchive> charm_;
  std::string charm_digest_;
  std::map<std::string, DeployedImage> images_;
};

}  // namespace

v1::StepDescription JujuRefreshStep::describe() const {
  using sdk::bool_value;
  using sdk::string_value;
  return sdk::Description("juju-refresh", "1.0.0",
                          "Refresh a Juju application with a new charm or image")
      .param({.name = "application",
              .type = v1::PARAM_TYPE_STRING,
              .required = true,
              .help = "The deployed application to refresh."})
      .param({.name = "model",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The model (default: juju's current model)."})
      .param({.name = "path",
              .type = v1::PARAM_TYPE_PATH,
              .help = "A local .charm to refresh to (for charms deployed from a path)."})
      .param({.name = "resource",
              .type = v1::PARAM_TYPE_LIST,
              .default_value = sdk::list_value({}),
              .help = "NAME=VALUE resources, e.g. flask-app-image=localhost:32000/app@sha256:…"})
      .param({.name = "revision",
              .type = v1::PARAM_TYPE_INT,
              .help = "A store charm revision to refresh to."})
      .param({.name = "channel",
              .type = v1::PARAM_TYPE_STRING,
              .help = "A store channel to refresh from."})
      .param({.name = "switch",
              .type = v1::PARAM_TYPE_STRING,
              .help = "Another charm to switch the application to."})
      .param({.name = "base",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The base to refresh to, e.g. ubuntu@22.04."})
      .param({.name = "trust",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = bool_value(false),
              .help = "Grant the charm access to cloud credentials."})
      .param({.name = "force-units",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = bool_value(false),
              .help = "Refresh units in error too."})
      .param({.name = "wait",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = bool_value(false),
              .help = "Wait until every unit is active and idle on the new charm."})
      .param({.name = "timeout",
              .type = v1::PARAM_TYPE_STRING,
              .default_value = string_value("10m"),
              .help = "How long --wait waits (90s, 10m…)."})
      .param({.name = "poll-interval",
              .type = v1::PARAM_TYPE_STRING,
              .default_value = string_value("2s"),
              .help = "How often --wait asks juju."})
      .param({.name = "dry-run",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = bool_value(false),
              .help = "Print the juju commands and change nothing."})
      .param({.name = "juju",
              .type = v1::PARAM_TYPE_STRING,
              .help = "The juju client to run (default: $GANTRY_JUJU, then juju on PATH)."})
      .param({.name = "registry-tls-verify",
              .type = v1::PARAM_TYPE_BOOL,
              .default_value = bool_value(true),
              .help = "Verify the registry's certificate when checking image tags; false also "
                      "allows plain http."})
      .param({.name = "registry-creds",
              .type = v1::PARAM_TYPE_STRING,
              .help = "USER:PASSWORD for the registry the images are in.",
              .secret = true})
      .output("application", "The application refreshed.")
      .output("revision", "Its charm revision afterwards.")
      .output("resources", "The resources given, NAME=VALUE, comma-separated.");
}

void JujuRefreshStep::run(sdk::Context& context) {
  if (context.boolean("dry-run")) {
    try {
      (void)JujuCli::locate(optional_string(context, "juju"), context.working_directory());
    } catch (const Error& missing) {
      dry_run_without_juju(context, missing);
      return;
    }
  }
  Refresh(context).run();
}

}  // namespace gantry::juju
