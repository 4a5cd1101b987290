#include "cli/cancel_command.hpp"

#include <iostream>

#include "cli/exit_code.hpp"
#include "cli/runner_client_options.hpp"
#include "cli/token_source.hpp"
#include "transport/transport_module.hpp"

namespace gantry::host {

CancelCommand::CancelCommand(CLI::App& app) {
  subcommand_ = app.add_subcommand("cancel", "Cancel a run on a runner (`gantry serve`)");
  subcommand_->add_option("run-id", run_id_, "The run's id, as `gantry run --remote` prints it")
      ->required();
  subcommand_->add_option("--remote", remote_.address, "The runner: unix:/path or HOST:PORT")
      ->required();
  add_runner_client_options(*subcommand_, remote_, token_file_);
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
