// Reads just enough of an ELF shared object to know whether it is a gantry plugin,
// checking every offset against the file before trusting it: a plugin directory is
// outside input, and a malformed file must be refused, not crash every command.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
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

/// The descriptor of the first note from `owner` of type `type` in the section called
/// `section` of the 64-bit little-endian ELF `image`, as GANTRY_PLUGIN puts the ABI version
/// in ".note.gantry.abi"; nullopt when there is no such note. Throws MalformedElf.
[[nodiscard]] std::optional<std::string> elf_note(std::span<const unsigned char> image,
                                                  std::string_view section, std::string_view owner,
                                                  std::uint32_t type);

/// A file mapped read-only for as long as this lives, to read with the functions above
/// without copying it. Throws MalformedElf when it cannot be opened or mapped.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& file);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  [[nodiscard]] std::span<const unsigned char> bytes() const { return {data_, size_}; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace gantry::host
