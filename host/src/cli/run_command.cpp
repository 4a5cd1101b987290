#include "cli/run_command.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli/run_session.hpp"
#include "cli/runner_client_options.hpp"
#include "cli/token_source.hpp"
#include "cli/usage_error.hpp"
#include "gantry/sdk/value.hpp"
#include "pipeline/default_pipeline.hpp"
#include "pipeline/pipeline_parser.hpp"
#include "pipeline/plan.hpp"
#include "transport/transport_module.hpp"

namespace gantry::host {
namespace {

namespace fs = std::filesystem;

std::string env_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

/// A juju client the refresh step would find: GANTRY_JUJU, else juju on PATH.
bool juju_available() {
  if (const char* given = std::getenv("GANTRY_JUJU"); given != nullptr && *given != '\0') {
    return true;
  }
  std::istringstream path(env_or("PATH", ""));
  for (std::string dir; std::getline(path, dir, ':');) {
    const fs::path candidate = fs::path(dir.empty() ? "." : dir) / "juju";
    if (::access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) {
      return true;
    }
  }
  return false;
}

}  // namespace

RunCommand::RunCommand(CLI::App& app) {
  subcommand_ = app.add_subcommand(
      "run",
      "Run a pipeline: FILE, else ./gantry.yaml, else the bundled default pipeline for the "
      "12-factor project here (rock-pack -> oci-push, charm-pack -> juju-refresh)");
  jobs_ = std::max(1U, std::thread::hardware_concurrency());
  subcommand_->add_option("file", file_, "The pipeline file (default: gantry.yaml)");
  subcommand_->add_option("-j,--jobs", jobs_, "How many steps may run at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}))
      ->capture_default_str();
  subcommand_->add_option("--registry", registry_,
                          "Default pipeline: the registry the image goes to (default: "
                          "$GANTRY_REGISTRY, else localhost:32000)");
  subcommand_->add_option("--registry-tls-verify", registry_tls_verify_,
                          "Default pipeline: verify the registry's certificate (default: true, "
                          "false for loopback registries)");
  subcommand_->add_option("--application", application_,
                          "Default pipeline: the Juju application (default: the charm's name)");
  subcommand_->add_option("--image-resource", image_resource_,
                          "Default pipeline: the oci-image resource for the image (default: "
                          "the charm's)");
  subcommand_->add_flag("--print-pipeline", print_pipeline_,
                        "Print the pipeline as a gantry.yaml and run nothing");
  subcommand_
      ->add_option("--isolation", isolation_,
                   "Where steps without `isolation:` run: in-process (default) or "
                   "process (each plugin in a child process of its own)")
      ->check(CLI::IsMember({"in-process", "process"}));
  subcommand_->add_flag("-k,--keep-going", keep_going_,
                        "After a step fails, still run the steps that do not depend on it");
  subcommand_->add_option("--remote", remote_.address,
                          "Run the pipeline on the runner at ADDRESS (`gantry serve`): "
                          "unix:/path or HOST:PORT");
  add_runner_client_options(*subcommand_, remote_, token_file_, "With --remote: ");
  subcommand_->add_flag("--no-cache", no_cache_,
                        "Run every step, even one whose inputs are those of a cached run");
  subcommand_->add_flag("--dry-run", dry_run_,
                        "Check the pipeline and print what each step would do; run nothing");
}

RunCommand::Source RunCommand::source() const {
  if (!file_.empty() || fs::exists("gantry.yaml")) {
    const fs::path file(file_.empty() ? "gantry.yaml" : file_);
    if (!fs::exists(file)) {
      throw UsageError("no pipeline file " + file.string() + " in " + fs::current_path().string(),
                       "Give a pipeline file: `gantry run path/to/gantry.yaml`.");
    }
    return {{}, file, false};  // the parser reads it (and says so when it is a directory)
  }
  DefaultPipelineSettings settings;
  settings.project_dir = fs::current_path();
  settings.registry = registry_.empty() ? env_or("GANTRY_REGISTRY", settings.registry) : registry_;
  settings.registry_tls_verify = registry_tls_verify_;
  settings.application = application_;
  settings.image_resource = image_resource_;
  settings.juju_available = juju_available();
  return {default_pipeline_yaml(settings), settings.project_dir / "gantry.yaml", true};
}

int RunCommand::run(const StepRegistry& registry, const OutputOptions& output) const {
  const Source pipeline = source();
  const Pipeline parsed = pipeline.bundled ? parse_pipeline(pipeline.text, pipeline.file)
                                           : parse_pipeline_file(pipeline.file);
  if (print_pipeline_) {
    if (pipeline.bundled) {
      std::cout << pipeline.text;
    } else {
      std::cout << std::ifstream(pipeline.file, std::ios::binary).rdbuf();
    }
    return static_cast<int>(ExitCode::kOk);
  }
  if (!remote_.address.empty()) {
    return run_remotely(pipeline, output);
  }
  if (pipeline.bundled && output.verbosity != Verbosity::kQuiet) {
    std::cerr << "No gantry.yaml here: running the bundled default pipeline "
                 "(`gantry run --print-pipeline` shows it).\n";
  }
  PlanOptions plan_options;
  plan_options.isolate = isolation_ == "process";
  plan_options.remote = remote_;
  plan_options.remote.token = bearer_token(token_file_);
  const Plan plan = plan_pipeline(parsed, registry, plan_options);
  if (dry_run_) {
    print_dry_run(plan, std::cout);
    return static_cast<int>(ExitCode::kOk);
  }
  RunSettings settings{output, jobs_, false};
  settings.use_cache = !no_cache_;
  settings.keep_going = keep_going_;
  return static_cast<int>(run_session(plan, settings));
}

int RunCommand::run_remotely(const Source& pipeline, const OutputOptions& output) const {
  if (pipeline.bundled) {
    throw UsageError("--remote runs a pipeline file, and there is no gantry.yaml here",
                     "Save the default pipeline first: `gantry run --print-pipeline > "
                     "gantry.yaml`.");
  }
  if (dry_run_) {
    throw UsageError(
        "--dry-run checks a pipeline against this host's steps; it does not go "
        "with --remote",
        "Leave out --remote to check the pipeline here.");
  }
  RemoteRun remote_run;
  remote_run.remote = remote_;
  remote_run.remote.token = bearer_token(token_file_);
  remote_run.pipeline_file = fs::absolute(pipeline.file);
  remote_run.jobs = jobs_;
  remote_run.keep_going = keep_going_;
  remote_run.isolate = isolation_ == "process";
  if (output.mode != "json" && output.verbosity != Verbosity::kQuiet) {
    remote_run.accepted = [address = remote_.address](const std::string& run_id) {
      std::cerr << "Running on " << address << " as run " << run_id << " (`gantry cancel " << run_id
                << " --remote " << address << "` cancels it)\n";
    };
  }
  const auto& transport = transport_module();
  RunSettings settings{output, jobs_, false};
  settings.keep_going = keep_going_;
  return static_cast<int>(report_session(remote_run.pipeline_file.parent_path(), settings,
                                         [&](Reporter& reporter, const std::string& /*run_id*/,
                                             const std::function<bool()>& interrupted) {
                                           return transport.run_remote(remote_run, reporter,
                                                                       interrupted);
                                         }));
}

void print_dry_run(const Plan& plan, std::ostream& out) {
  out << "The pipeline is valid. It would run, in this order (steps whose inputs are ready "
         "run at the same time):\n";
  for (const auto& step : plan.steps) {
    const auto& description = step.endpoint->description();
    out << "\n" << step.id << ": " << description.name() << " " << description.version();
    if (!step.needs.empty()) {
      out << " (after";
      for (const auto& need : step.needs) {
        out << " " << need;
      }
      out << ")";
    }
    out << "\n  " << description.summary() << "\n";
    const std::map<std::string, v1::Value> sorted(step.params.begin(), step.params.end());
    for (const auto& spec : description.params()) {
      const auto found = sorted.find(spec.name());
      if (found != sorted.end()) {
        out << "  " << spec.name() << ": " << sdk::display_value(found->second, spec.secret())
            << "\n";
      }
    }
  }
}

}  // namespace gantry::host
