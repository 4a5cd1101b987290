#include "cli/runner_client_options.hpp"

#include <cctype>

namespace gantry::host {

void add_runner_client_options(CLI::App& command, RemoteOptions& remote, std::string& token_file,
                               const std::string& prefix) {
  const auto help = [&prefix](std::string text) {
    if (prefix.empty()) {
      text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    }
    return prefix + text;
  };
  command.add_option("--tls-ca", remote.tls_ca,
                     help("use TLS, trusting the runner's certificate to this CA"));
  command.add_option("--tls-cert", remote.tls_certificate,
                     help("the client certificate (mTLS, PEM)"));
  command.add_option("--tls-key", remote.tls_key, help("the key of --tls-cert"));
  command.add_option("--token-file", token_file,
                     help("a file holding the runner's token (or GANTRY_TOKEN)"));
}

}  // namespace gantry::host
