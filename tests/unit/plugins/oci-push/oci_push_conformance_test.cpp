// The SDK's conformance suite, run against the oci-push step: its example run copies a
// local OCI layout into an archive.
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/testing/conformance.hpp"
#include "gantry/sdk/value.hpp"
#include "oci_push_step.hpp"
#include "test_image.hpp"

namespace {

/// A layout made once per test process, removed at exit.
const std::filesystem::path& example_dir() {
  static const gantry::sdk::TemporaryDirectory dir = [] {
    gantry::sdk::TemporaryDirectory made("gantry-oci-push-conformance-");
    gantry::testing::write_test_layout(made.path() / "layout", "0.2", {100});
    return made;
  }();
  return dir.path();
}

}  // namespace

GANTRY_STEP_CONFORMANCE(
    OciPush, .label = "oci-push",
    .factory = [] { return std::make_unique<gantry::oci_push::OciPushStep>(); },
    .example_params = {
        {"source", gantry::sdk::string_value("oci:" + (example_dir() / "layout").string())},
        {"destination",
         gantry::sdk::string_value("oci-archive:" + (example_dir() / "out.rock").string())}});
