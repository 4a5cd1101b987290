#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include "plugins/step_endpoint.hpp"
#include "report/reporter.hpp"
#include "transport/remote_options.hpp"
#include "transport/step_process_command.hpp"

namespace gantry::host {

class StepRegistry;

/// Everything gantry does over gRPC, in a module (gantry-transport.so) loaded the first
/// time a command needs it: linking gRPC's ~40 libraries into the executable would cost
/// every command, `gantry --version` included, ~40 ms at start.
class TransportModule {
 public:
  virtual ~TransportModule();

  /// A step served by a child process (process_endpoint.hpp). With a description the
  /// process starts on the first run; without, it starts now to describe the step.
  /// Throws PluginError.
  [[nodiscard]] virtual std::unique_ptr<StepEndpoint> process_endpoint(
      StepProcessCommand command, std::optional<v1::StepDescription> description) const = 0;

  /// `gantry plugin-serve LIBRARY` (plugin_server.hpp); the exit code.
  virtual int serve_plugin(const std::filesystem::path& library) const = 0;

  /// `gantry serve` (runner_server.hpp); the exit code.
  virtual int serve_runner(const ServeOptions& options, const StepRegistry& registry) const = 0;

  /// A step on a runner (`runs-on:`, remote_step_endpoint.hpp). Throws gantry::Error when
  /// the runner cannot be reached or does not offer the step.
  [[nodiscard]] virtual std::unique_ptr<StepEndpoint> remote_endpoint(
      const RemoteOptions& remote, const std::string& step) const = 0;

  /// The steps a runner offers (`gantry plugins --remote`). Throws gantry::Error.
  [[nodiscard]] virtual std::vector<v1::StepDescription> runner_steps(
      const RemoteOptions& remote) const = 0;

  /// `gantry run --remote` (remote_run.hpp).
  [[nodiscard]] virtual RunSummary run_remote(const RemoteRun& run, Reporter& reporter,
                                              const std::function<bool()>& interrupted) const = 0;

  /// `gantry cancel RUN_ID --remote ADDRESS` (remote_run.hpp): false when the run had ended.
  [[nodiscard]] virtual bool cancel_remote_run(const RemoteOptions& remote,
                                               const std::string& run_id) const = 0;
};

/// The name of the C function the module exports, returning its TransportModule.
inline constexpr const char* kTransportModuleEntry = "gantry_transport_module_v1";

/// The module: the one linked into this program (tests link it), else
/// $GANTRY_TRANSPORT_MODULE, else <exe dir>/../lib/gantry/gantry-transport.so, loaded once.
/// Throws gantry::Error when it cannot be loaded.
[[nodiscard]] const TransportModule& transport_module();

}  // namespace gantry::host
