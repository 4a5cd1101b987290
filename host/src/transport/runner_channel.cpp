#include "transport/runner_channel.hpp"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "gantry/sdk/error.hpp"
#include "transport/tls_files.hpp"

namespace gantry::host {

std::shared_ptr<grpc::Channel> runner_channel(const RemoteOptions& remote) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!remote.tls_ca.empty()) {
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = read_pem(remote.tls_ca, "--tls-ca");
    if (!remote.tls_certificate.empty()) {
      tls.pem_cert_chain = read_pem(remote.tls_certificate, "--tls-cert");
      tls.pem_private_key = read_pem(remote.tls_key, "--tls-key");
    }
    credentials = grpc::SslCredentials(tls);
  }
  grpc::ChannelArguments arguments;
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30'000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20'000);
  arguments.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  arguments.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  arguments.SetMaxReceiveMessageSize(16 << 20);
  return grpc::CreateCustomChannel(remote.address, credentials, arguments);
}

void throw_runner_error(const RemoteOptions& remote, const grpc::Status& status) {
  const std::string where = "the runner at " + remote.address;
  switch (status.error_code()) {
    case grpc::StatusCode::UNAUTHENTICATED:
      throw Error(where + " refused the call: " + status.error_message(),
                  "Give the runner's token with --token-file FILE or GANTRY_TOKEN.");
    case grpc::StatusCode::UNAVAILABLE:
      throw Error(where + " cannot be reached: " + status.error_message(),
                  "Check that `gantry serve` runs there, and whether it uses TLS (--tls-ca).");
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      throw Error(where + " refused the run: " + status.error_message(),
                  "Try again later, or make the project smaller.");
    default:
      throw Error(where + " failed the run: " + status.error_message());
  }
}

}  // namespace gantry::host
