// The SDK's conformance suite, run against the juju-refresh step with the recording
// stand-in juju: its example run refreshes a store charm.
#include <unistd.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/testing/conformance.hpp"
#include "gantry/sdk/value.hpp"
#include "juju_refresh_step.hpp"

namespace {

/// The stand-in's state directory, answering status for `myapp`; removed at exit.
const std::filesystem::path& fake_juju_dir() {
  static const gantry::sdk::TemporaryDirectory dir = [] {
    gantry::sdk::TemporaryDirectory made("gantry-juju-conformance-");
    std::filesystem::copy_file(GANTRY_SOURCE_DIR
                               "/tests/integration/fixtures/juju/status-charmhub-r11.json",
                               made.path() / "status.json");
    ::setenv("FAKE_JUJU_DIR", made.path().c_str(), 1);
    return made;
  }();
  return dir.path();
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
