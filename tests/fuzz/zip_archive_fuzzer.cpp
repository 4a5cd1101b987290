// A zip (a .charm): the central directory, then every entry read with a small limit.
#include "fuzz_target.hpp"
#include "gantry/archive/zip_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gantry::fuzz::InputFile input("app.charm", data, size);
  return gantry::fuzz::refusals_allowed([&] {
    const gantry::archive::ZipReader zip(input.path());
    for (const auto& entry : zip.entries()) {
      (void)entry.permissions();
      (void)zip.read(entry.name, 1U << 20U);
    }
  });
}
