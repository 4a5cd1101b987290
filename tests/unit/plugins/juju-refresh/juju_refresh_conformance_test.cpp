// The SDK's conformance suite, run against the juju-refresh step with the recording
// stand-in juju: its example run refreshes a store charm.
#include <unistd.h>

#include "command.hpp"
#include "gantry/sdk/testing/conformance.hpp"
#include "gantry/sdk/value.hpp"
#include "juju_refresh_step.hpp"

namespace {

/// The stand-in's state directory, answering status for `myapp`.
const std::string& fake_juju_dir() {
  static const std::string dir = [] {
    const auto path = std::filesystem::temp_directory_path() /
                      ("gantry-juju-conformance-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    std::filesystem::copy_file(GANTRY_SOURCE_DIR
                               "/tests/integration/fixtures/juju/status-charmhub-r11.json",
                               path / "status.json");
    ::setenv("FAKE_JUJU_DIR", path.c_str(), 1);
    std::atexit([] { std::filesystem::remove_all(fake_juju_dir()); });
    return path.string();
  }();
  return dir;
}

}  // namespace

GANTRY_STEP_CONFORMANCE(
    JujuRefresh, .label = "juju-refresh",
    .factory = [] { return std::make_unique<gantry::juju::JujuRefreshStep>(); },
    .example_params = {
        {"application", gantry::sdk::string_value("myapp")},
        {"channel", gantry::sdk::string_value("stable")},
        {"juju", gantry::sdk::string_value(GANTRY_SOURCE_DIR "/tests/support/fake_juju.py")},
        {"dry-run", gantry::sdk::bool_value(fake_juju_dir().empty())}});
