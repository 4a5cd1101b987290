#include "cli/serve_command.hpp"

#include <cstdlib>

#include "cli/token_source.hpp"
#include "transport/transport_module.hpp"

namespace gantry::host {
namespace {

std::filesystem::path default_workdir() {
  if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache != nullptr && cache[0] == '/') {
    return std::filesystem::path(cache) / "gantry" / "runner";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
    return std::filesystem::path(home) / ".cache" / "gantry" / "runner";
  }
  return std::filesystem::temp_directory_path() / "gantry-runner";
}

}  // namespace

ServeCommand::ServeCommand(CLI::App& app) {
  subcommand_ = app.add_subcommand("serve", "Run pipelines for `gantry run --remote` (a runner)");
  subcommand_
      ->add_option("--listen", options_.listen,
                   "unix:/path, or HOST:PORT (beyond loopback only with TLS and a token)")
      ->required();
  subcommand_->add_option("--tls-cert", options_.tls_certificate,
                          "The runner's certificate chain (PEM)");
  subcommand_->add_option("--tls-key", options_.tls_key, "The key of --tls-cert (PEM)");
  subcommand_->add_option("--tls-client-ca", options_.tls_client_ca,
                          "Require client certificates signed by this CA (mTLS)");
  subcommand_->add_option("--token-file", token_file_,
                          "A file holding the token every call must carry (or GANTRY_TOKEN)");
  subcommand_
      ->add_option("--max-upload", options_.max_upload,
                   "The largest project a client may send, in bytes")
      ->capture_default_str();
  subcommand_->add_option("--max-runs", options_.max_runs, "How many pipelines may run at once")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  subcommand_->add_option("--workdir", options_.workdir,
                          "Where runs keep their projects (default: ~/.cache/gantry/runner)");
}

int ServeCommand::run(const StepRegistry& registry) const {
  ServeOptions options = options_;
  options.token = bearer_token(token_file_);
  if (options.workdir.empty()) {
    options.workdir = default_workdir();
  }
  return transport_module().serve_runner(options, registry);
}

}  // namespace gantry::host
