#include "gantry/archive/tar_writer.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>

#include "gantry/sdk/error.hpp"

namespace gantry::archive {
namespace {

constexpr std::size_t kBlock = 512;
const std::array<char, kBlock> kZeros{};

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

/// One PAX record: "LEN key=value\n", LEN counting itself.
std::string pax_record(const std::string& key, const std::string& value) {
  const std::size_t rest = key.size() + value.size() + 3;  // ' ', '=', '\n'
  std::size_t length = rest + std::to_string(rest).size();
  if (std::to_string(length).size() != std::to_string(rest).size()) {
    ++length;
  }
  return std::to_string(length) + " " + key + "=" + value + "\n";
}

/// `name` as ustar's name and prefix fields, or nullopt when it does not fit them.
std::optional<std::pair<std::string, std::string>> ustar_name(const std::string& name) {
  if (name.size() <= 100) {
    return std::pair{std::string(), name};
  }
  const auto slash = name.rfind('/', 155);
  if (slash == std::string::npos || slash == 0 || name.size() - slash - 1 > 100 ||
      name.size() - slash - 1 == 0) {
    return std::nullopt;
  }
  return std::pair{name.substr(0, slash), name.substr(slash + 1)};
}

char type_flag(TarEntry::Type type) {
  switch (type) {
    case TarEntry::Type::kDirectory:
      return '5';
    case TarEntry::Type::kSymlink:
      return '2';
    case TarEntry::Type::kHardLink:
      return '1';
    case TarEntry::Type::kFile:
      break;
  }
  return '0';
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

TarWriter::TarWriter(AtomicFile& file, std::int64_t mtime)
    : sink_([&file](std::string_view bytes) { file.write(bytes); }), file_(&file), mtime_(mtime) {}

TarWriter::TarWriter(Sink sink, std::int64_t mtime) : sink_(std::move(sink)), mtime_(mtime) {}

void TarWriter::pax_header(const TarEntry& entry, const std::string& records) {
  TarEntry pax{
      .name = "PaxHeaders/" + entry.name.substr(entry.name.rfind('/', entry.name.size() - 2) + 1),
      .mode = 0644,
      .mtime = entry.mtime,
      .size = records.size()};
  if (pax.name.size() > 100) {
    pax.name = pax.name.substr(0, 100);
  }
  std::array<char, kBlock> block{};
  std::memcpy(block.data(), pax.name.data(), pax.name.size());
  octal(block.data() + 100, 8, pax.mode);
  octal(block.data() + 108, 8, 0);
  octal(block.data() + 116, 8, 0);
  octal(block.data() + 124, 12, pax.size);
  octal(block.data() + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(0, pax.mtime)));
  std::memset(block.data() + 148, ' ', 8);
  block[156] = 'x';
  std::memcpy(block.data() + 257, "ustar", 6);
  std::memcpy(block.data() + 263, "00", 2);
  unsigned sum = 0;
  for (const char c : block) {
    sum += static_cast<unsigned char>(c);
  }
  octal(block.data() + 148, 7, sum);
  block[155] = ' ';
  sink_({block.data(), block.size()});
  sink_(records);
  if (const auto tail = records.size() % kBlock; tail != 0) {
    sink_({kZeros.data(), kBlock - tail});
  }
}

void TarWriter::header(const TarEntry& entry) {
  std::string records;
  auto split = ustar_name(entry.name);
  if (!split) {
    records += pax_record("path", entry.name);
    split = std::pair{std::string(), entry.name.substr(0, 100)};
  }
  std::string link = entry.link;
  if (link.size() > 100) {
    records += pax_record("linkpath", link);
    link = link.substr(0, 100);
  }
  if (!records.empty()) {
    pax_header(entry, records);
  }
  std::array<char, kBlock> block{};
  const auto& [prefix, stored] = *split;
  std::memcpy(block.data(), stored.data(), stored.size());
  octal(block.data() + 100, 8, entry.mode & 07777U);
  octal(block.data() + 108, 8, entry.uid);
  octal(block.data() + 116, 8, entry.gid);
  octal(block.data() + 124, 12, entry.type == TarEntry::Type::kFile ? entry.size : 0);
  octal(block.data() + 136, 12, static_cast<std::uint64_t>(std::max<std::int64_t>(0, entry.mtime)));
  std::memset(block.data() + 148, ' ', 8);
  block[156] = type_flag(entry.type);
  std::memcpy(block.data() + 157, link.data(), link.size());
  std::memcpy(block.data() + 257, "ustar", 6);
  std::memcpy(block.data() + 263, "00", 2);
  if (entry.uid == 0 && entry.gid == 0) {
    std::memcpy(block.data() + 265, "root", 4);
    std::memcpy(block.data() + 297, "root", 4);
  }
  std::memcpy(block.data() + 345, prefix.data(), prefix.size());
  unsigned sum = 0;
  for (const char c : block) {
    sum += static_cast<unsigned char>(c);
  }
  octal(block.data() + 148, 7, sum);  // six digits, NUL, then the space below
  block[155] = ' ';
  sink_({block.data(), block.size()});
}

void TarWriter::add(const TarEntry& entry,
                    const std::function<void(const std::function<void(std::string_view)>&)>& fill) {
  TarEntry stored = entry;
  if (stored.type == TarEntry::Type::kDirectory && !stored.name.ends_with('/')) {
    stored.name += '/';
  }
  header(stored);
  if (stored.type != TarEntry::Type::kFile) {
    return;
  }
  std::uint64_t written = 0;
  if (fill) {
    fill([&](std::string_view bytes) {
      written += bytes.size();
      if (written > stored.size) {
        throw Error("'" + stored.name + "' grew while it was archived");
      }
      sink_(bytes);
    });
  }
  if (written != stored.size) {
    throw Error("'" + stored.name + "' changed size while it was archived");
  }
  if (const auto tail = stored.size % kBlock; tail != 0) {
    sink_({kZeros.data(), kBlock - tail});
  }
}

void TarWriter::add_directory(const std::string& name, std::uint32_t mode) {
  add({.name = name, .type = TarEntry::Type::kDirectory, .mode = mode, .mtime = mtime_});
}

void TarWriter::add_file(
    const std::string& name, std::uint64_t size,
    const std::function<void(const std::function<void(std::string_view)>&)>& fill,
    std::uint32_t mode) {
  add({.name = name, .mode = mode, .mtime = mtime_, .size = size}, fill);
}

void TarWriter::add_file_from_disk(const std::string& name, const std::filesystem::path& path,
                                   std::uint32_t mode) {
  const auto size = std::filesystem::file_size(path);
  if (file_ == nullptr) {
    add_file(
        name, size,
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
    return;
  }
  header({.name = name, .mode = mode, .mtime = mtime_, .size = size});
  file_->append_file(path, size);
  if (std::filesystem::file_size(path) != size) {
    throw Error("'" + name + "' changed size while it was archived");
  }
  if (const auto tail = size % kBlock; tail != 0) {
    sink_({kZeros.data(), kBlock - tail});
  }
}

void TarWriter::finish() {
  static const std::array<char, 2 * kBlock> kEnd{};
  sink_({kEnd.data(), kEnd.size()});
}

}  // namespace gantry::archive
