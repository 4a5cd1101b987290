#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "transport/remote_options.hpp"

namespace gantry::host {

/// The options of a command that talks to a runner (`run --remote`, `plugins --remote`,
/// `cancel`): --tls-ca, --tls-cert and --tls-key into `remote`, --token-file into
/// `token_file` (bearer_token() reads it, or GANTRY_TOKEN). `prefix` starts each help
/// text, e.g. "With --remote: ".
void add_runner_client_options(CLI::App& command, RemoteOptions& remote, std::string& token_file,
                               const std::string& prefix = "");

}  // namespace gantry::host
