#include "transport/runner_server.hpp"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <csignal>
#include <iostream>
#include <thread>

#include "gantry/sdk/error.hpp"
#include "transport/runner_service.hpp"
#include "transport/tls_files.hpp"

namespace gantry::host {
namespace {

/// Chunks are 1 MiB; nothing a client sends is larger than a chunk and its framing.
constexpr int kMaxRequestBytes = 4 << 20;
/// How long running pipelines have to stop once the runner is asked to.
constexpr auto kShutdownGrace = std::chrono::seconds(10);

std::shared_ptr<grpc::ServerCredentials> credentials(const ServeOptions& options) {
  if (options.tls_certificate.empty()) {
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions tls(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  tls.pem_key_cert_pairs.push_back(
      {read_pem(options.tls_key, "--tls-key"), read_pem(options.tls_certificate, "--tls-cert")});
  if (!options.tls_client_ca.empty()) {
    tls.pem_root_certs = read_pem(options.tls_client_ca, "--tls-client-ca");
    tls.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(tls);
}

}  // namespace

int serve_runner(const ServeOptions& options, const StepRegistry& registry) {
  if (!is_local_address(options.listen) &&
      (options.tls_certificate.empty() || options.token.empty())) {
    throw Error("refusing to serve on " + options.listen + " without TLS and a token",
                "Give --tls-cert, --tls-key and --token-file (or GANTRY_TOKEN), or listen on "
                "127.0.0.1 or a unix socket.");
  }
  if (options.tls_certificate.empty() != options.tls_key.empty()) {
    throw Error("--tls-cert and --tls-key go together", "Give both, or neither.");
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::filesystem::create_directories(options.workdir);
  RunnerService service(registry, options);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options.listen, credentials(options), &port);
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(kMaxRequestBytes);
  // A step may say nothing for an hour: clients ping every 30 s, and that is allowed.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10'000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  const auto server = builder.BuildAndStart();
  if (!server || (port == 0 && !options.listen.starts_with("unix:"))) {
    throw Error("cannot serve on " + options.listen,
                "Check that the address is free and that you may listen on it.");
  }
  std::string address = options.listen;
  if (!address.starts_with("unix:") && address.ends_with(":0")) {
    address = address.substr(0, address.size() - 1) + std::to_string(port);
  }
  std::cout << "listening on " << address << std::endl;

  int received = 0;
  while (::sigwait(&signals, &received) != 0) {
  }
  std::cerr << "stopping: cancelling running pipelines\n";
  service.cancel_all();
  server->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  return 0;
}

}  // namespace gantry::host
