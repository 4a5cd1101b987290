#include "gantry/archive/tar_writer.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "gantry/sdk/error.hpp"

namespace gantry::archive {
namespace {

constexpr std::size_t kBlock = 512;

/// width-1 zero-padded octal digits and a NUL, as GNU tar writes them.
void octal(char* field, std::size_t width, std::uint64_t value) {
  field[width - 1] = '\0';
  for (std::size_t i = width - 1; i-- > 0;) {
    field[i] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
  if (value != 0) {
    throw Error("a number is too large for a ustar header field");
  }
}

}  // namespace

std::int64_t reproducible_mtime() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (epoch == nullptr || *epoch == '\0') {
    return 0;
  }
  char* end = nullptr;
  const long long value = std::strtoll(epoch, &end, 10);
  if (*end != '\0' || value < 0) {
    throw Error("SOURCE_DATE_EPOCH is '" + std::string(epoch) + "', not a number of seconds",
                "Set it to a Unix time, e.g. $(git log -1 --format=%ct).");
  }
  return value;
}

TarWriter::TarWriter(AtomicFile& file, std::int64_t mtime) : file_(file), mtime_(mtime) {}

void TarWriter::header(const std::string& name, char type, std::uint64_t size, std::uint32_t mode) {
  std::array<char, kBlock> block{};
  std::string stored = name;
  std::string prefix;
  if (stored.size() > 100) {
    const auto slash = stored.rfind('/', 155);
    if (slash == std::string::npos || stored.size() - slash - 1 > 100) {
      throw Error("path '" + name + "' is too long for a ustar archive");
    }
    prefix = stored.substr(0, slash);
    stored = stored.substr(slash + 1);
  }
  std::memcpy(block.data(), stored.data(), stored.size());
  octal(block.data() + 100, 8, mode);
  octal(block.data() + 108, 8, 0);
  octal(block.data() + 116, 8, 0);
  octal(block.data() + 124, 12, size);
  octal(block.data() + 136, 12, static_cast<std::uint64_t>(mtime_));
  std::memset(block.data() + 148, ' ', 8);
  block[156] = type;
  std::memcpy(block.data() + 257, "ustar", 6);
  std::memcpy(block.data() + 263, "00", 2);
  std::memcpy(block.data() + 265, "root", 4);
  std::memcpy(block.data() + 297, "root", 4);
  std::memcpy(block.data() + 345, prefix.data(), prefix.size());
  unsigned sum = 0;
  for (const char c : block) {
    sum += static_cast<unsigned char>(c);
  }
  octal(block.data() + 148, 7, sum);  // six digits, NUL, then the space below
  block[155] = ' ';
  file_.write({block.data(), block.size()});
}

void TarWriter::add_directory(const std::string& name, std::uint32_t mode) {
  header(name.ends_with('/') ? name : name + "/", '5', 0, mode);
}

void TarWriter::add_file(
    const std::string& name, std::uint64_t size,
    const std::function<void(const std::function<void(std::string_view)>&)>& fill,
    std::uint32_t mode) {
  header(name, '0', size, mode);
  std::uint64_t written = 0;
  fill([&](std::string_view bytes) {
    written += bytes.size();
    if (written > size) {
      throw Error("'" + name + "' grew while it was archived");
    }
    file_.write(bytes);
  });
  if (written != size) {
    throw Error("'" + name + "' changed size while it was archived");
  }
  static const std::array<char, kBlock> kZeros{};
  if (const auto tail = size % kBlock; tail != 0) {
    file_.write({kZeros.data(), kBlock - tail});
  }
}

void TarWriter::add_file_from_disk(const std::string& name, const std::filesystem::path& path,
                                   std::uint32_t mode) {
  add_file(
      name, std::filesystem::file_size(path),
      [&](const auto& write) {
        std::ifstream in(path, std::ios::binary);
        std::array<char, 1 << 16> buffer{};
        while (in) {
          in.read(buffer.data(), buffer.size());
          if (in.gcount() > 0) {
            write({buffer.data(), static_cast<std::size_t>(in.gcount())});
          }
        }
      },
      mode);
}

void TarWriter::finish() {
  static const std::array<char, 2 * kBlock> kEnd{};
  file_.write({kEnd.data(), kEnd.size()});
}

}  // namespace gantry::archive
