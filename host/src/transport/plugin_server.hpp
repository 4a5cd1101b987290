#pragma once

#include <filesystem>

namespace gantry::host {

/// `gantry plugin-serve LIBRARY`: loads the plugin library (checked as an in-process load
/// checks it), serves its step as the gantry.v1.Step service on a unix socket in
/// $GANTRY_PLUGIN_SOCKET_DIR (a new private directory when unset), prints the handshake
/// line on standard output, then sends its standard output to standard error. Serves
/// until SIGTERM, SIGINT or SIGHUP: running calls are then cancelled and it exits, at
/// the latest 2 s later. Returns the exit code; throws PluginError when the library is
/// refused.
int serve_plugin(const std::filesystem::path& library);

}  // namespace gantry::host
