#include "transport/plugin_server.hpp"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "gantry/sdk/description.hpp"
#include "gantry/sdk/error.hpp"
#include "plugins/in_process_endpoint.hpp"
#include "transport/handshake.hpp"
#include "transport/step_service.hpp"

namespace gantry::host {
namespace {

constexpr int kMaxRequestBytes = 16 << 20;
/// How long running calls have to end once the process is asked to stop.
constexpr auto kShutdownGrace = std::chrono::seconds(2);

sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

/// The directory for the socket, and whether this process made it (and removes it).
std::pair<std::filesystem::path, bool> socket_dir() {
  if (const char* given = std::getenv(kSocketDirName); given != nullptr && given[0] == '/') {
    return {given, false};
  }
  std::string pattern = "/tmp/gantry-step-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error(std::string("cannot make a socket directory under /tmp: ") + std::strerror(errno));
  }
  return {pattern, true};
}

}  // namespace

int serve_plugin(const std::filesystem::path& library) {
  // Blocked before any thread starts (the plugin's or gRPC's), so that every thread
  // inherits the mask and only sigwait below sees them.
  const sigset_t signals = stop_signals();
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const auto endpoint = InProcessEndpoint::load(library);
  const auto [dir, made_here] = socket_dir();
  const std::filesystem::path socket = dir / "step.sock";
  StepService service(*endpoint);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket.string(), grpc::InsecureServerCredentials());
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  const auto server = builder.BuildAndStart();
  if (!server) {
    throw Error("cannot serve on unix socket " + socket.string(),
                "Check that " + dir.string() + " exists and is writable.");
  }
  const Handshake handshake{kHandshakeCoreVersion, sdk::kProtocolVersion, "unix", socket.string()};
  std::cout << handshake.line() << "\n" << std::flush;
  // From now on standard output belongs to the plugin's code: keep it off the handshake pipe.
  ::dup2(STDERR_FILENO, STDOUT_FILENO);

  int received = 0;
  while (::sigwait(&signals, &received) != 0) {
  }
  // No Shutdown: it waits for calls the client already cancelled until its deadline, and
  // the process is about to end anyway. Running steps get the grace period to stop.
  service.cancel_all(kShutdownGrace);
  if (made_here) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::cerr.flush();
  // No destructors: plugin code may still run on a call's thread.
  std::_Exit(0);
}

}  // namespace gantry::host
