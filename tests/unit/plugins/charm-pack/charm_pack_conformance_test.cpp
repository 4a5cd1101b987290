// The SDK's conformance suite, run against the charm-pack step: its example run packs a
// small charm without Python dependencies (no pip), so it is quick and offline.
#include "charm_pack_step.hpp"
#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/testing/conformance.hpp"
#include "gantry/sdk/value.hpp"

namespace {

/// A charm project removed at exit.
const std::filesystem::path& example_project() {
  static const gantry::sdk::TemporaryDirectory dir = [] {
    gantry::sdk::TemporaryDirectory made("gantry-charm-conformance-");
    gantry::testing::write_file(made.path() / "charmcraft.yaml",
                                "name: tiny\ntype: charm\nsummary: s\ndescription: d\n"
                                "base: ubuntu@24.04\nplatforms:\n  amd64:\n");
    gantry::testing::write_file(made.path() / "src/charm.py", "#!/usr/bin/env python3\n");
    std::filesystem::permissions(made.path() / "src/charm.py", std::filesystem::perms(0755));
    return made;
  }();
  return dir.path();
}

}  // namespace

GANTRY_STEP_CONFORMANCE(
    CharmPack, .label = "charm-pack",
    .factory = [] { return std::make_unique<gantry::charm_pack::CharmPackStep>(); },
    .example_params = {{"project", gantry::sdk::parse_value(gantry::v1::PARAM_TYPE_PATH,
                                                            example_project().string())}});
