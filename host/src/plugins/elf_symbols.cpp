#include "plugins/elf_symbols.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

namespace gantry::host {
namespace {

// ELF-64 Object File Format, version 1.5: the header, section header and symbol layouts.
constexpr std::size_t kHeaderSize = 64;
constexpr std::size_t kSectionHeaderSize = 64;
constexpr std::size_t kSymbolSize = 24;
constexpr std::uint32_t kSymtab = 2;
constexpr std::uint32_t kNote = 7;
constexpr std::uint32_t kNobits = 8;
constexpr std::uint64_t kNoteHeaderSize = 12;
constexpr std::uint32_t kDynsym = 11;

/// Bounds-checked little-endian reads from the image.
class Image {
 public:
  explicit Image(std::span<const unsigned char> bytes) : bytes_(bytes) {}

  template <class T>
  [[nodiscard]] T read(std::uint64_t offset) const {
    require(offset, sizeof(T), "a field");
    T value;
    std::memcpy(&value, bytes_.data() + offset, sizeof(T));  // x86-64 and arm64: little-endian
    return value;
  }

  /// Throws unless [offset, offset + size) lies inside the image.
  void require(std::uint64_t offset, std::uint64_t size, const char* what) const {
    if (offset > bytes_.size() || size > bytes_.size() - offset) {
      throw MalformedElf(std::string(what) + " lies outside the file");
    }
  }

  [[nodiscard]] std::string_view text(std::uint64_t offset, std::uint64_t size) const {
    return {reinterpret_cast<const char*>(bytes_.data() + offset), static_cast<std::size_t>(size)};
  }

  [[nodiscard]] std::size_t size() const { return bytes_.size(); }

 private:
  std::span<const unsigned char> bytes_;
};

struct Section {
  std::uint32_t name = 0;
  std::uint32_t type = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint32_t link = 0;
  std::uint64_t alignment = 0;
  std::uint64_t entry_size = 0;
};

class ElfReader {
 public:
  explicit ElfReader(std::span<const unsigned char> bytes) : image_(bytes) {
    if (image_.size() < kHeaderSize) {
      throw MalformedElf("shorter than an ELF header");
    }
    const unsigned char magic[] = {0x7f, 'E', 'L', 'F'};
    if (std::memcmp(bytes.data(), magic, sizeof(magic)) != 0) {
      throw MalformedElf("no ELF magic number");
    }
    if (bytes[4] != 2 || bytes[5] != 1) {
      throw MalformedElf("not a 64-bit little-endian ELF file");
    }
    section_offset_ = image_.read<std::uint64_t>(0x28);
    const auto entry_size = image_.read<std::uint16_t>(0x3A);
    section_count_ = image_.read<std::uint16_t>(0x3C);
    names_index_ = image_.read<std::uint16_t>(0x3E);
    if (section_count_ == 0 || entry_size != kSectionHeaderSize) {
      throw MalformedElf("no section header table this host can read");
    }
    image_.require(section_offset_, std::uint64_t{section_count_} * kSectionHeaderSize,
                   "the section header table");
    if (names_index_ >= section_count_) {
      throw MalformedElf("the section name table is not a section");
    }
  }

  [[nodiscard]] bool defines(std::string_view section_name, std::string_view symbol) const {
    const auto target = find_section(section_name);
    if (!target) {
      return false;
    }
    for (std::uint32_t i = 0; i < section_count_; ++i) {
      const Section table = section(i);
      if ((table.type == kDynsym || table.type == kSymtab) &&
          table_defines(table, *target, symbol)) {
        return true;
      }
    }
    return false;
  }

  [[nodiscard]] std::optional<std::string> note(std::string_view section_name,
                                                std::string_view owner, std::uint32_t type) const {
    const auto index = find_section(section_name);
    if (!index) {
      return std::nullopt;
    }
    const Section notes = contents(*index, "a note section");
    if (notes.type != kNote) {
      throw MalformedElf(std::string(section_name) + " is not a note section");
    }
    // Each entry: name size, descriptor size, type, the name, the descriptor; the
    // descriptor and the next entry start at the section's alignment, 4 or 8 (gABI, "Note
    // Section"). Sizes come from the file: each is checked against what is left of the
    // section before it is used. Offsets below are from the section's start.
    const std::uint64_t pad = notes.alignment == 8 ? 7 : 3;
    const auto aligned = [pad](std::uint64_t offset) { return (offset + pad) & ~pad; };
    std::uint64_t at = 0;
    while (at < notes.size && notes.size - at >= kNoteHeaderSize) {
      const auto name_size = std::uint64_t{image_.read<std::uint32_t>(notes.offset + at)};
      const auto descriptor_size = std::uint64_t{image_.read<std::uint32_t>(notes.offset + at + 4)};
      const auto entry_type = image_.read<std::uint32_t>(notes.offset + at + 8);
      const std::uint64_t name_at = at + kNoteHeaderSize;
      if (name_size > notes.size - name_at) {
        throw MalformedElf("a note's name runs past its section");
      }
      const std::uint64_t descriptor_at = aligned(name_at + name_size);
      if (descriptor_at > notes.size || descriptor_size > notes.size - descriptor_at) {
        throw MalformedElf("a note's descriptor runs past its section");
      }
      std::string_view name = image_.text(notes.offset + name_at, name_size);
      if (!name.empty() && name.back() == '\0') {
        name.remove_suffix(1);
      }
      if (entry_type == type && name == owner) {
        return std::string(image_.text(notes.offset + descriptor_at, descriptor_size));
      }
      at = aligned(descriptor_at + descriptor_size);
    }
    return std::nullopt;
  }

 private:
  [[nodiscard]] Section section(std::uint32_t index) const {
    const std::uint64_t at = section_offset_ + std::uint64_t{index} * kSectionHeaderSize;
    Section section;
    section.name = image_.read<std::uint32_t>(at);
    section.type = image_.read<std::uint32_t>(at + 4);
    section.offset = image_.read<std::uint64_t>(at + 24);
    section.size = image_.read<std::uint64_t>(at + 32);
    section.link = image_.read<std::uint32_t>(at + 40);
    section.alignment = image_.read<std::uint64_t>(at + 48);
    section.entry_size = image_.read<std::uint64_t>(at + 56);
    return section;
  }

  /// The section's bytes, checked to lie in the file.
  [[nodiscard]] Section contents(std::uint32_t index, const char* what) const {
    if (index >= section_count_) {
      throw MalformedElf(std::string(what) + " is not a section");
    }
    Section found = section(index);
    if (found.type == kNobits) {
      found.size = 0;
    }
    image_.require(found.offset, found.size, what);
    return found;
  }

  /// The NUL-terminated name at `offset` in string table `strings`.
  [[nodiscard]] std::string_view name_at(const Section& strings, std::uint64_t offset) const {
    if (offset >= strings.size) {
      throw MalformedElf("a name lies outside its string table");
    }
    const std::string_view rest = image_.text(strings.offset + offset, strings.size - offset);
    const auto end = rest.find('\0');
    if (end == std::string_view::npos) {
      throw MalformedElf("a name runs past its string table");
    }
    return rest.substr(0, end);
  }

  [[nodiscard]] std::optional<std::uint32_t> find_section(std::string_view wanted) const {
    const Section names = contents(names_index_, "the section name table");
    for (std::uint32_t i = 0; i < section_count_; ++i) {
      if (name_at(names, section(i).name) == wanted) {
        return i;
      }
    }
    return std::nullopt;
  }

  [[nodiscard]] bool table_defines(const Section& table, std::uint32_t section_index,
                                   std::string_view symbol) const {
    if (table.entry_size != kSymbolSize) {
      throw MalformedElf("a symbol table with entries of an unknown size");
    }
    image_.require(table.offset, table.size, "a symbol table");
    const Section strings = contents(table.link, "a symbol table's string table");
    for (std::uint64_t at = table.offset; at + kSymbolSize <= table.offset + table.size;
         at += kSymbolSize) {
      const auto name = image_.read<std::uint32_t>(at);
      const auto info = image_.read<std::uint8_t>(at + 4);
      const auto other = image_.read<std::uint8_t>(at + 5);
      const auto index = image_.read<std::uint16_t>(at + 6);
      const auto size = image_.read<std::uint64_t>(at + 16);
      // Visible as Boost.DLL counts it: default visibility, not local, not empty.
      const bool visible = (other & 0x3) == 0 && (info >> 4) != 0 && size != 0;
      if (index == section_index && visible && name_at(strings, name) == symbol) {
        return true;
      }
    }
    return false;
  }

  Image image_;
  std::uint64_t section_offset_ = 0;
  std::uint32_t section_count_ = 0;
  std::uint32_t names_index_ = 0;
};

}  // namespace

bool elf_defines_symbol_in_section(std::span<const unsigned char> image, std::string_view section,
                                   std::string_view symbol) {
  return ElfReader(image).defines(section, symbol);
}

std::optional<std::string> elf_note(std::span<const unsigned char> image, std::string_view section,
                                    std::string_view owner, std::uint32_t type) {
  return ElfReader(image).note(section, owner, type);
}

MappedFile::MappedFile(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    throw MalformedElf(std::string("cannot be opened: ") + std::strerror(errno));
  }
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(fd);
    throw MalformedElf("not a regular file");
  }
  size_ = static_cast<std::size_t>(status.st_size);
  if (size_ > 0) {
    void* address = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) {
      ::close(fd);
      throw MalformedElf(std::string("cannot be mapped: ") + std::strerror(errno));
    }
    data_ = static_cast<const unsigned char*>(address);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) {
    ::munmap(const_cast<unsigned char*>(data_), size_);
  }
}

}  // namespace gantry::host
