// Reads just enough of an ELF shared object to know whether it is a gantry plugin,
// checking every offset against the file before trusting it: a plugin directory is
// outside input, and a malformed file must be refused, not crash every command.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gantry::host {

/// The file is not an ELF image this host can read, and why.
class MalformedElf : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Whether the 64-bit little-endian ELF `image` defines a visible symbol `symbol` in the
/// section called `section`, as BOOST_DLL_ALIAS puts its aliases in "boostdll". Reads
/// the dynamic symbol table and, when there is one, the full one. Throws MalformedElf.
[[nodiscard]] bool elf_defines_symbol_in_section(std::span<const unsigned char> image,
                                                 std::string_view section, std::string_view symbol);

/// The same for a file, mapped read-only. Throws MalformedElf, also when it cannot be read.
[[nodiscard]] bool elf_file_defines_symbol_in_section(const std::filesystem::path& file,
                                                      std::string_view section,
                                                      std::string_view symbol);

}  // namespace gantry::host
