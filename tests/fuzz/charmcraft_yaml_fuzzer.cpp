// charmcraft.yaml: YAML, extensions and validation, read from a project directory.
#include "charm_project.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gantry::fuzz::InputFile input("charmcraft.yaml", data, size);
  return gantry::fuzz::refusals_allowed([&] {
    (void)gantry::charm_pack::load_charm_project(input.dir(), [](const std::string&) {});
  });
}
