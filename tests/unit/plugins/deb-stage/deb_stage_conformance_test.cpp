// The SDK's conformance suite, run against the deb-stage step: its example run stages a
// package from a signed file: repository built once per test process.
#include "apt_repository.hpp"
#include "deb_stage_step.hpp"
#include "gantry/sdk/testing/conformance.hpp"
#include "gantry/sdk/value.hpp"

namespace {

gantry::testing::AptRepository& repository() {
  static gantry::testing::AptRepository repo;
  static const bool published = [] {
    repo.add({.name = "hello", .files = {{"usr/share/hello/greeting", "hi\n"}}});
    repo.publish();
    gantry::testing::write_file(repo.root().parent_path() / "sources.list",
                                repo.sources_line(repo.file_uri()));
    return true;
  }();
  (void)published;
  return repo;
}

std::string in_repository(const std::string& name) {
  return (repository().root().parent_path() / name).string();
}

}  // namespace

GANTRY_STEP_CONFORMANCE(
    DebStage, .label = "deb-stage",
    .factory = [] { return std::make_unique<gantry::deb_stage::DebStageStep>(); },
    .example_params = {{"packages", gantry::sdk::list_value({"hello"})},
                       {"into", gantry::sdk::string_value(in_repository("stage"))},
                       {"sources", gantry::sdk::string_value(in_repository("sources.list"))},
                       {"cache-dir", gantry::sdk::string_value(in_repository("cache"))}});
