// The entry point of gantry-transport.so: the host finds it by name (transport_module.hpp).
#include "transport/plugin_server.hpp"
#include "transport/process_endpoint.hpp"
#include "transport/remote_run.hpp"
#include "transport/remote_step_endpoint.hpp"
#include "transport/runner_server.hpp"
#include "transport/transport_module.hpp"

namespace gantry::host {
namespace {

class GrpcTransport final : public TransportModule {
 public:
  [[nodiscard]] std::unique_ptr<StepEndpoint> process_endpoint(
      StepProcessCommand command, std::optional<v1::StepDescription> description) const override {
    if (description) {
      return ProcessEndpoint::described(std::move(command), std::move(*description), {});
    }
    return ProcessEndpoint::start(std::move(command), {});
  }

  int serve_plugin(const std::filesystem::path& library) const override {
    return host::serve_plugin(library);
  }

  int serve_runner(const ServeOptions& options, const StepRegistry& registry) const override {
    return host::serve_runner(options, registry);
  }

  [[nodiscard]] std::unique_ptr<StepEndpoint> remote_endpoint(
      const RemoteOptions& remote, const std::string& step) const override {
    return std::make_unique<RemoteStepEndpoint>(remote, step);
  }

  [[nodiscard]] std::vector<v1::StepDescription> runner_steps(
      const RemoteOptions& remote) const override {
    return host::runner_steps(remote);
  }

  [[nodiscard]] bool cancel_remote_run(const RemoteOptions& remote,
                                       const std::string& run_id) const override {
    return host::cancel_remote_run(remote, run_id);
  }

  [[nodiscard]] RunSummary run_remote(const RemoteRun& run, Reporter& reporter,
                                      const std::function<bool()>& interrupted) const override {
    return host::run_remote(run, reporter, interrupted);
  }
};

}  // namespace
}  // namespace gantry::host

extern "C" __attribute__((visibility("default"))) const gantry::host::TransportModule*
gantry_transport_module_v1() {
  static const gantry::host::GrpcTransport module;
  return &module;
}
