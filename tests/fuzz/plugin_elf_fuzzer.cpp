// A file in the plugin directory: the ELF reader that decides whether it is a plugin, and
// reads its ABI note, before anything loads it.
#include "fuzz_target.hpp"
#include "gantry/sdk/abi.h"
#include "plugins/elf_symbols.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)gantry::host::elf_defines_symbol_in_section({data, size}, "boostdll",
                                                      "gantry_plugin_entry_v1");
  } catch (const gantry::host::MalformedElf&) {
  }
  try {
    (void)gantry::host::elf_note({data, size}, GANTRY_PLUGIN_ABI_NOTE_SECTION,
                                 GANTRY_PLUGIN_ABI_NOTE_OWNER, GANTRY_PLUGIN_ABI_NOTE_TYPE);
  } catch (const gantry::host::MalformedElf&) {
  }
  return 0;
}
