#include "cli/cancel_command.hpp"

#include <iostream>

#include "cli/exit_code.hpp"
#include "cli/token_source.hpp"
#include "transport/transport_module.hpp"

namespace gantry::host {

CancelCommand::CancelCommand(CLI::App& app) {
  subcommand_ = app.add_subcommand("cancel", "Cancel a run on a runner (`gantry serve`)");
  subcommand_->add_option("run-id", run_id_, "The run's id, as `gantry run --remote` prints it")
      ->required();
  subcommand_->add_option("--remote", remote_.address, "The runner: unix:/path or HOST:PORT")
      ->required();
  subcommand_->add_option("--tls-ca", remote_.tls_ca, "Use TLS, trusting this CA");
  subcommand_->add_option("--tls-cert", remote_.tls_certificate,
                          "The client certificate (mTLS, PEM)");
  subcommand_->add_option("--tls-key", remote_.tls_key, "The key of --tls-cert");
  subcommand_->add_option("--token-file", token_file_,
                          "A file holding the runner's token (or GANTRY_TOKEN)");
}

int CancelCommand::run() const {
  RemoteOptions remote = remote_;
  remote.token = bearer_token(token_file_);
  if (transport_module().cancel_remote_run(remote, run_id_)) {
    std::cout << "cancelled run " << run_id_ << " on " << remote.address << "\n";
  } else {
    std::cout << "run " << run_id_ << " on " << remote.address << " had already ended\n";
  }
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace gantry::host
