#pragma once

namespace gantry::host {

/// The whole `gantry` command line: parses, dispatches, prints errors the craft-tools
/// way, and returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace gantry::host
