// A file in the plugin directory: the ELF reader that decides whether it is a plugin
// before anything loads it.
#include "fuzz_target.hpp"
#include "plugins/elf_symbols.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)gantry::host::elf_defines_symbol_in_section({data, size}, "boostdll",
                                                      "gantry_plugin_entry_v1");
  } catch (const gantry::host::MalformedElf&) {
  }
  return 0;
}
