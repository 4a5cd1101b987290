#include "juju_cli.hpp"

#include <cstdlib>

#include "gantry/sdk/error.hpp"

namespace gantry::juju {
namespace {

bool contains(const std::string& text, std::string_view what) {
  return text.find(what) != std::string::npos;
}

/// The first line starting with "ERROR", or the last non-empty line.
std::string juju_message(const std::string& output) {
  std::string last;
  std::size_t at = 0;
  while (at < output.size()) {
    auto end = output.find('\n', at);
    if (end == std::string::npos) {
      end = output.size();
    }
    const std::string line = output.substr(at, end - at);
    if (line.starts_with("ERROR")) {
      return line;
    }
    if (!line.empty()) {
      last = line;
    }
    at = end + 1;
  }
  return last;
}

}  // namespace

JujuCli::JujuCli(std::filesystem::path executable, std::string model,
                 sdk::ChildProcess::StopRequested stop_requested)
    : executable_(std::move(executable)),
      model_(std::move(model)),
      stop_requested_(std::move(stop_requested)) {}

std::filesystem::path JujuCli::locate(const std::optional<std::string>& given,
                                      const std::filesystem::path& workdir) {
  const char* from_env = std::getenv("GANTRY_JUJU");
  const auto env = sdk::environment_map();
  try {
    if (given) {
      return sdk::resolve_executable(*given, env.contains("PATH") ? env.at("PATH") : "", workdir);
    }
    if (from_env != nullptr && *from_env != '\0') {
      return sdk::resolve_executable(from_env, env.contains("PATH") ? env.at("PATH") : "", workdir);
    }
    return sdk::resolve_executable("juju", env.contains("PATH") ? env.at("PATH") : "", workdir);
  } catch (const Error& error) {
    throw Error(std::string("cannot run juju: ") + error.what(),
                "Install the Juju client (`sudo snap install juju --classic`), or name it with "
                "--juju PATH or GANTRY_JUJU.");
  }
}

std::vector<std::string> JujuCli::command(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{executable_.filename().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  if (!model_.empty()) {
    argv.insert(argv.begin() + 2, {"-m", model_});
  }
  return argv;
}

void JujuCli::run(const std::vector<std::string>& args,
                  const sdk::ChildProcess::LineHandler& on_line) const {
  auto argv = command(args);
  sdk::ChildSpec spec{executable_, argv, sdk::environment_strings(sdk::environment_map()),
                      std::filesystem::current_path()};
  const auto run = sdk::run_captured(spec, stop_requested_, on_line);
  if (run.status.stopped) {
    throw Cancelled();
  }
  if (run.status.exit_code != 0) {
    throw juju_failure(shell_words(argv), run.err + run.out, run.status.exit_code);
  }
}

std::string JujuCli::read_json(const std::vector<std::string>& args) const {
  auto argv = command(args);
  sdk::ChildSpec spec{executable_, argv, sdk::environment_strings(sdk::environment_map()),
                      std::filesystem::current_path()};
  const auto run = sdk::run_captured(spec, stop_requested_);
  if (run.status.stopped) {
    throw Cancelled();
  }
  if (run.status.exit_code != 0) {
    throw juju_failure(shell_words(argv), run.err + run.out, run.status.exit_code);
  }
  return run.out;
}

std::string JujuCli::status(const std::string& application) const {
  return read_json({"status", application, "--format=json"});
}

std::string JujuCli::resources(const std::string& application) const {
  return read_json({"resources", application, "--format=json"});
}

Error juju_failure(const std::string& command, const std::string& output, int exit_code) {
  const std::string said = juju_message(output);
  const std::string quoted = said.empty() ? "" : ": " + said;
  if (contains(said, "not found") && contains(said, "application")) {
    return Error("juju found no such application" + quoted,
                 "Check the name with `juju status`, or deploy it first with `juju deploy`.");
  }
  if (contains(said, "model") && contains(said, "not found")) {
    return Error("juju found no such model" + quoted, "List the models with `juju models`.");
  }
  if (contains(said, "already running charm") ||
      contains(said, "already running specified charm")) {
    return Error("the application already runs this charm" + quoted,
                 "Nothing new to deploy: build the charm again after a change, or refresh only "
                 "the resource with --resource.");
  }
  if (contains(said, "unrecognized resource") || contains(said, "unknown resource")) {
    return Error("the charm has no such resource" + quoted,
                 "Use a resource name from `juju resources APP` (as in charmcraft.yaml).");
  }
  if (contains(said, "--path") || (contains(said, "local") && contains(said, "charm"))) {
    return Error("juju cannot refresh this local charm that way" + quoted,
                 "An application deployed from a local path is refreshed with --path "
                 "./NAME.charm (and --resource for its image).");
  }
  if (contains(said, "not logged in") || contains(said, "please enter password") ||
      contains(said, "No controllers registered") || contains(said, "no current controller") ||
      contains(said, "cannot log into")) {
    return Error("juju is not logged in to a controller" + quoted,
                 "Run `juju login` (or `juju switch` to the right controller) and try again.");
  }
  if (contains(said, "cannot connect") || contains(said, "connection refused") ||
      contains(said, "unable to connect") || contains(said, "i/o timeout") ||
      contains(said, "no such host")) {
    return Error("juju cannot reach its controller" + quoted,
                 "Check that the controller is up (`juju controllers`, `juju status`) and "
                 "reachable from here.");
  }
  return Error("`" + command + "` failed with exit status " + std::to_string(exit_code) + quoted,
               "See juju's output above.");
}

std::string shell_words(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) {
      line += ' ';
    }
    line +=
        arg.find_first_of(" \t'\"$") == std::string::npos && !arg.empty() ? arg : "'" + arg + "'";
  }
  return line;
}

}  // namespace gantry::juju
