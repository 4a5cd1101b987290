#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/cache_command.hpp"
#include "cli/cancel_command.hpp"
#include "cli/copy_command.hpp"
#include "cli/describe_printer.hpp"
#include "cli/exit_code.hpp"
#include "cli/run_command.hpp"
#include "cli/run_session.hpp"
#include "cli/runner_client_options.hpp"
#include "cli/serve_command.hpp"
#include "cli/step_command.hpp"
#include "cli/token_source.hpp"
#include "cli/top_level.hpp"
#include "cli/usage_error.hpp"
#include "pipeline/invalid_pipeline.hpp"
#include "pipeline/pipeline_parser.hpp"
#include "plugins/step_registry.hpp"
#include "transport/transport_module.hpp"

#ifndef GANTRY_VERSION
#define GANTRY_VERSION "0.0.0"
#endif

namespace gantry::host {
namespace {

constexpr const char* kBuiltinCommands[] = {"run",    "plugins",     "describe", "copy",
                                            "help",   "version",     "cache",    "serve",
                                            "cancel", "plugin-serve"};

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

int code(ExitCode exit_code) { return static_cast<int>(exit_code); }

void print_error(const Error& error) {
  std::cerr << "error: " << error.what() << "\n";
  if (!error.resolution().empty()) {
    std::cerr << "Recommended resolution: " << error.resolution() << "\n";
  }
}

void print_problems(const InvalidPipeline& invalid) {
  for (const auto& problem : invalid.problems()) {
    std::cerr << problem.position.to_string() << ": error: " << problem.message << "\n";
    if (!problem.hint.empty()) {
      std::cerr << "    " << problem.hint << "\n";
    }
  }
  std::cerr << "Recommended resolution: " << invalid.resolution() << "\n";
}

/// The verbosity from -q/-v/--verbosity, then GANTRY_VERBOSITY, then "brief".
Verbosity resolve_verbosity(bool quiet, bool verbose, const std::string& given) {
  if (!given.empty()) {
    const auto parsed = parse_verbosity(given);
    if (!parsed) {
      throw UsageError("unknown verbosity '" + given + "'",
                       "Use quiet, brief, verbose, debug or trace.");
    }
    return *parsed;
  }
  if (quiet) {
    return Verbosity::kQuiet;
  }
  if (verbose) {
    return Verbosity::kVerbose;
  }
  if (const auto from_env = env("GANTRY_VERBOSITY")) {
    if (const auto parsed = parse_verbosity(*from_env)) {
      return *parsed;
    }
    throw UsageError("GANTRY_VERBOSITY is '" + *from_env + "', which is not a verbosity",
                     "Set it to quiet, brief, verbose, debug or trace.");
  }
  return Verbosity::kBrief;
}

/// A one-step plan for `gantry STEP ...`, run in the current directory.
Plan single_step_plan(StepEndpoint& endpoint,
                      google::protobuf::Map<std::string, v1::Value> params) {
  Plan plan;
  plan.working_directory = std::filesystem::current_path();
  PlannedStep step;
  step.id = endpoint.description().name();
  step.endpoint = &endpoint;
  step.params = std::move(params);
  plan.steps.push_back(std::move(step));
  return plan;
}

/// `gantry plugin-serve LIBRARY`, which gantry runs itself for `isolation: process`: it
/// loads that one library, none from the plugin path.
int plugin_serve(int argc, char** argv) {
  if (argc != 3 || std::string_view(argv[2]).starts_with("-")) {
    throw UsageError("usage: gantry plugin-serve LIBRARY",
                     "gantry starts this itself for steps with `isolation: process`; give the "
                     "plugin library's path to try it by hand.");
  }
  return transport_module().serve_plugin(std::filesystem::absolute(argv[2]));
}

int main_with_errors(int argc, char** argv) {
  if (argc >= 2 && std::string_view(argv[1]) == "plugin-serve") {
    return plugin_serve(argc, argv);
  }
  const TopLevel asked = top_level(argc, argv);
  if (asked.kind == TopLevel::kVersion) {
    std::cout << GANTRY_VERSION << "\n";
    return code(ExitCode::kOk);
  }
  CLI::App app("gantry: build, push and deploy 12-factor apps through step plugins", "gantry");
  app.set_version_flag("--version", GANTRY_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the subcommand too

  bool quiet = false;
  bool verbose = false;
  std::string verbosity_text;
  OutputOptions output;
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors");
  app.add_flag("-v,--verbose", verbose, "More detail");
  app.add_option("--verbosity", verbosity_text, "quiet, brief, verbose, debug or trace");
  app.add_option("--output", output.mode, "How to show progress: auto, tty, plain or json")
      ->check(CLI::IsMember({"auto", "tty", "plain", "json"}))
      ->capture_default_str();

  StepRegistry registry;
  const auto search = plugin_search_path(env("GANTRY_PLUGIN_PATH"), bundled_plugin_dir());
  const auto cache_dir = DescriptionCache::default_dir();
  const std::optional<DescriptionCache> cache =
      cache_dir ? std::optional<DescriptionCache>(*cache_dir) : std::nullopt;
  registry.load_plugins(search, cache ? &*cache : nullptr,
                        asked.kind == TopLevel::kHelp ? StepRegistry::Uncached::kLeaveOut
                                                      : StepRegistry::Uncached::kLoad);

  const RunCommand run(app);
  const CacheCommand cache_command(app);
  const ServeCommand serve(app);
  const CancelCommand cancel(app);

  auto* plugins = app.add_subcommand("plugins", "List the steps the plugin path provides");
  RemoteOptions listed_runner;
  std::string runner_token_file;
  plugins->add_option("--remote", listed_runner.address,
                      "List the steps of the runner at ADDRESS instead (`gantry serve`)");
  add_runner_client_options(*plugins, listed_runner, runner_token_file, "With --remote: ");
  auto* describe = app.add_subcommand("describe", "Show a step's parameters and outputs");
  std::string described;
  bool describe_json = false;
  describe->add_option("step", described, "The step's name")->required();
  describe->add_flag("--json", describe_json, "Print the description as JSON");

  const CopyCommand copy(app);
  bool insecure_policy = false;
  app.add_flag("--insecure-policy", insecure_policy,
               "Accepted for skopeo compatibility; gantry checks no signature policy");

  std::vector<std::unique_ptr<StepCommand>> step_commands;
  for (const auto* step : registry.steps()) {
    const auto& name = step->description().name();
    if (std::find(std::begin(kBuiltinCommands), std::end(kBuiltinCommands), name) !=
        std::end(kBuiltinCommands)) {
      continue;  // usable in pipelines; a built-in command owns the name here
    }
    if (name == asked.command) {
      step_commands.push_back(std::make_unique<StepCommand>(app, *registry.find(name)));
    } else {
      add_step_subcommand(app, step->description());  // listed in --help; not run here
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int status = app.exit(error);
    return status == 0 ? 0 : code(ExitCode::kUsage);
  }
  output.verbosity = resolve_verbosity(quiet, verbose, verbosity_text);

  if (output.verbosity != Verbosity::kQuiet) {
    for (const auto& ignored : search.ignored) {
      std::cerr << "warning: ignored " << ignored << "\n";
    }
    for (const auto& problem : registry.problems()) {
      std::cerr << "warning: plugin refused: " << problem << "\n";
    }
  }

  if (insecure_policy && output.verbosity != Verbosity::kQuiet) {
    std::cerr << "note: --insecure-policy is accepted and ignored: gantry checks no signature "
                 "policy\n";
  }
  if (copy.subcommand()->parsed()) {
    auto* endpoint = registry.find(CopyCommand::kStep);
    if (endpoint == nullptr) {
      throw UsageError("`gantry copy` needs the oci-push step, which no plugin provides",
                       "Reinstall gantry, or add the directory of gantry-step-oci-push.so to "
                       "GANTRY_PLUGIN_PATH.");
    }
    const Plan plan = single_step_plan(*endpoint, copy.params());
    return code(run_session(plan, {output, 1, true}));
  }
  if (plugins->parsed()) {
    if (!listed_runner.address.empty()) {
      listed_runner.token = bearer_token(runner_token_file);
      print_runner_steps(listed_runner.address, transport_module().runner_steps(listed_runner),
                         std::cout);
      return code(ExitCode::kOk);
    }
    print_plugins(registry, std::cout);
    return code(ExitCode::kOk);
  }
  if (describe->parsed()) {
    const auto* endpoint = registry.find(described);
    if (endpoint == nullptr) {
      throw UsageError("unknown step '" + described + "'",
                       "Run `gantry plugins` to list the steps.");
    }
    if (describe_json) {
      print_description_json(*endpoint, std::cout);
    } else {
      print_description(*endpoint, std::cout);
    }
    return code(ExitCode::kOk);
  }
  if (run.subcommand()->parsed()) {
    return run.run(registry, output);
  }
  if (cache_command.subcommand()->parsed()) {
    return cache_command.run();
  }
  if (serve.subcommand()->parsed()) {
    return serve.run(registry);
  }
  if (cancel.subcommand()->parsed()) {
    return cancel.run();
  }
  for (const auto& command : step_commands) {
    if (command->subcommand()->parsed()) {
      const Plan plan = single_step_plan(command->endpoint(), command->params());
      return code(run_session(plan, {output, 1, true}));
    }
  }
  return code(ExitCode::kUsage);
}

}  // namespace

int run_cli(int argc, char** argv) {
  try {
    return main_with_errors(argc, argv);
  } catch (const InvalidPipeline& invalid) {
    print_problems(invalid);
    return code(ExitCode::kUsage);
  } catch (const UsageError& error) {
    print_error(error);
    return code(ExitCode::kUsage);
  } catch (const ConfigError& error) {
    std::cerr << error.position().to_string() << ": ";
    print_error(error);
    return code(ExitCode::kUsage);
  } catch (const Error& error) {
    print_error(error);
    return code(ExitCode::kStepFailed);
  } catch (const std::exception& error) {
    std::cerr << "internal error: " << error.what() << "\n"
              << "Recommended resolution: Please report this as a bug in gantry.\n";
    return code(ExitCode::kInternal);
  }
}

}  // namespace gantry::host
