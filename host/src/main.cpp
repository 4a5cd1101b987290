// The gantry executable: everything lives in gantry_host.
#include "cli/app.hpp"

int main(int argc, char** argv) { return gantry::host::run_cli(argc, argv); }
