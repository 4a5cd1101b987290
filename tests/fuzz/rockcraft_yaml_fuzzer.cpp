// rockcraft.yaml: YAML, the project model and its validation.
#include "fuzz_target.hpp"
#include "rock_project.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return gantry::fuzz::refusals_allowed([&] {
    (void)gantry::rock_pack::parse_rock_project(std::string(gantry::fuzz::text(data, size)),
                                                "rockcraft.yaml", [](const std::string&) {});
  });
}
