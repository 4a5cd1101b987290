#include "exec_step.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <fstream>
#include <map>

#include "gantry/net/digest.hpp"
#include "gantry/sdk/child_process.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/promised_outputs.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/value.hpp"
#include "output_file.hpp"

namespace gantry::exec {
namespace {

using sdk::ChildProcess;
using sdk::ChildSpec;
using sdk::ExitStatus;
using sdk::OutputStream;
using sdk::resolve_executable;

std::string quoted_command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) {
    if (!line.empty()) {
      line += ' ';
    }
    const bool plain = !arg.empty() && arg.find_first_of(" \t\n'\"\\$`") == std::string::npos;
    line += plain ? arg : "'" + arg + "'";
  }
  return line;
}

/// A file the command wrote, as an artifact: its digest and size, read now.
v1::Artifact file_artifact(const std::filesystem::path& file, const std::string& command) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) {
    throw Error("command '" + command + "' did not write the artifact " + file.string(),
                "Write it, or remove it from `artifacts:`.");
  }
  std::ifstream in(file, std::ios::binary);
  net::Sha256 hash;
  std::array<char, 1 << 16> buffer{};
  std::uint64_t size = 0;
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    hash.update({buffer.data(), static_cast<std::size_t>(in.gcount())});
    size += static_cast<std::uint64_t>(in.gcount());
  }
  v1::Artifact artifact;
  artifact.set_kind("file");
  artifact.set_path(file.lexically_normal().string());
  artifact.set_digest(hash.finish().str());
  artifact.set_size(size);
  return artifact;
}

/// The value of the environment variable `name`, masked from now on; `param` names the
/// list that named it, for the error when it is not set.
std::string secret_from(const std::map<std::string, std::string>& env, const std::string& name,
                        const std::string& param, sdk::Context& context) {
  const auto found = env.find(name);
  if (found == env.end()) {
    throw Error("`" + param + "` names " + name + ", which is not in the command's environment",
                "Set " + name + " in gantry's environment or in `env:`, or remove it from `" +
                    param + ":`.");
  }
  context.mask(found->second);
  return found->second;
}

}  // namespace

v1::StepDescription ExecStep::describe() const {
  return sdk::Description("exec", "1.0.0", "Run a command and relay its output")
      .param({.name = "command",
              .type = v1::PARAM_TYPE_STRING,
              .required = true,
              .help = "The program to run: a name looked up on PATH, or a path."})
      .param({.name = "args",
              .type = v1::PARAM_TYPE_LIST,
              .default_value = sdk::list_value({}),
              .help = "Arguments passed to the program, unchanged (no shell)."})
      .param({.name = "env",
              .type = v1::PARAM_TYPE_MAP,
              .default_value = sdk::map_value({}),
              .help = "Environment variables added to the inherited environment."})
      .param({.name = "secret-env",
              .type = v1::PARAM_TYPE_LIST,
              .default_value = sdk::list_value({}),
              .help = "Names of environment variables (from `env:` or inherited) whose values "
                      "are secret: masked as **** wherever the step's output, errors and "
                      "outputs would show them."})
      .param({.name = "secret-args",
              .type = v1::PARAM_TYPE_LIST,
              .default_value = sdk::list_value({}),
              .help = "Names of environment variables (from `env:` or inherited) whose values "
                      "are passed as arguments after `args`, masked as `secret-env` values are "
                      "(other local users can read a program's arguments: prefer secret-env)."})
      .param({.name = "workdir",
              .type = v1::PARAM_TYPE_PATH,
              .help = "Directory to run in (default: the pipeline's directory)."})
      .param({.name = "outputs",
              .type = v1::PARAM_TYPE_LIST,
              .default_value = sdk::list_value({}),
              .help = "Names of the outputs the command sets by appending name=value "
                      "lines to the file named by $GANTRY_OUTPUT."})
      .param({.name = "artifacts",
              .type = v1::PARAM_TYPE_LIST,
              .default_value = sdk::list_value({}),
              .help = "Files the command writes, relative to its directory: announced as the "
                      "step's artifacts with their digests and sizes (a missing one fails "
                      "the step)."})
      .capability(std::string(sdk::kOutputsFromParamCapability) + "outputs");
}

void ExecStep::run(sdk::Context& context) {
  const std::string command = context.string("command");
  const std::filesystem::path workdir =
      context.has("workdir") ? context.path("workdir") : context.working_directory();
  const sdk::TemporaryDirectory scratch("gantry-exec-");
  const auto output_file = scratch.path() / "output";

  auto env = sdk::environment_map();
  for (const auto& [name, value] : context.map("env")) {
    env[name] = value;
  }
  for (const auto& name : context.list("secret-env")) {
    (void)secret_from(env, name, "secret-env", context);
  }
  env["GANTRY_OUTPUT"] = output_file.string();
  env["GANTRY_RUN_ID"] = context.run_id();
  env["GANTRY_STEP_ID"] = context.step_id();

  ChildSpec spec;
  spec.executable = resolve_executable(command, env["PATH"], workdir);
  spec.argv.push_back(command);
  for (auto& arg : context.list("args")) {
    spec.argv.push_back(std::move(arg));
  }
  for (const auto& name : context.list("secret-args")) {
    spec.argv.push_back(secret_from(env, name, "secret-args", context));
  }
  spec.environment = sdk::environment_strings(env);
  spec.workdir = workdir;

  context.throw_if_cancelled();
  context.debug("running " + quoted_command_line(spec.argv) + " in " + workdir.string());
  ChildProcess child(spec);
  const ExitStatus status = child.wait(
      [&](OutputStream stream, std::string_view line) {
        context.log(
            v1::LOG_LEVEL_INFO, line,
            stream == OutputStream::kStdout ? v1::LOG_STREAM_STDOUT : v1::LOG_STREAM_STDERR);
      },
      [&] { return context.cancelled(); });

  if (status.stopped) {
    throw Cancelled();
  }
  if (status.signal != 0) {
    throw Error("command '" + command + "' was killed by signal " + std::to_string(status.signal) +
                    " (" + ::strsignal(status.signal) + ")",
                "See its output above.");
  }
  if (status.exit_code != 0) {
    throw Error("command '" + command + "' exited with status " + std::to_string(status.exit_code),
                "See its output above.");
  }

  const auto written = read_outputs(output_file);
  const auto declared = context.list("outputs");
  for (const auto& name : declared) {
    const auto found = written.find(name);
    if (found == written.end()) {
      throw Error("command '" + command + "' did not set output '" + name + "'",
                  "Append `" + name + "=VALUE` to the file named by $GANTRY_OUTPUT, or remove '" +
                      name + "' from `outputs:`.");
    }
    context.output(name, found->second);
  }
  for (const auto& [name, value] : written) {
    if (std::find(declared.begin(), declared.end(), name) == declared.end()) {
      context.warn("output '" + name + "' set by the command is ignored: it is not in `outputs:`");
    }
  }
  for (const auto& name : context.list("artifacts")) {
    context.artifact(file_artifact(workdir / name, command));
  }
}

}  // namespace gantry::exec
