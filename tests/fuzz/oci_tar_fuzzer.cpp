// The OCI archive's tar reader (ustar, pax, GNU long names), then a read of each member.
#include "fuzz_target.hpp"
#include "gantry/oci/tar_index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const gantry::fuzz::InputFile input("image.rock", data, size);
  return gantry::fuzz::refusals_allowed([&] {
    const auto index = gantry::oci::TarIndex::scan(input.path());
    for (const auto& [name, member] : index.members()) {
      if (member.offset > size || member.size > size - member.offset) {
        __builtin_trap();  // a member the reader would pread past the end of the file
      }
      (void)index.find(name);
    }
  });
}
