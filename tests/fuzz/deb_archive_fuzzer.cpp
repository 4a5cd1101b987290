// A .deb: the ar container, the data.tar's compression and its entries, unpacked into a
// scratch tree exactly as deb-stage does.
#include "fuzz_target.hpp"
#include "gantry/deb/deb_unpacker.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gantry::fuzz::InputFile input("package.deb", data, size);
  const auto root = input.dir() / "tree";
  std::filesystem::create_directory(root);
  return gantry::fuzz::refusals_allowed([&] {
    gantry::deb::StagingTree tree(root, [](const std::string&) {});
    (void)gantry::deb::unpack_deb(input.path(), tree, "fuzzed");
  });
}
