// Zip layout: PKWARE APPNOTE.TXT 6.3.x, sections 4.3.7 (local header), 4.3.12 (central
// directory) and 4.3.16 (end of central directory).
#include "gantry/archive/zip_writer.hpp"

#include <libdeflate.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>

#include "gantry/sdk/error.hpp"

namespace gantry::archive {
namespace {

constexpr std::uint16_t kMadeByUnix = (3U << 8U) | 20U;  // Unix, spec 2.0
constexpr std::uint16_t kNeeded = 20;                    // deflate
constexpr std::uint16_t kUtf8Name = 1U << 11U;
constexpr std::uint16_t kDeflated = 8;
constexpr std::uint32_t kRegularFile = 0100000;
constexpr std::uint64_t kLimit32 = 0xffffffffULL;
// Compression level 6: zlib's default and what Python's zipfile uses; a level is part of
// the bytes, so it never changes between runs.
constexpr int kLevel = 6;

void put16(std::string& out, std::uint32_t value) {
  out += static_cast<char>(value & 0xffU);
  out += static_cast<char>((value >> 8U) & 0xffU);
}

void put32(std::string& out, std::uint64_t value) {
  put16(out, static_cast<std::uint32_t>(value & 0xffffU));
  put16(out, static_cast<std::uint32_t>((value >> 16U) & 0xffffU));
}

std::string read_whole(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error("cannot read " + path.string() + " for the archive",
                "Check that it exists and is readable.");
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

struct CompressorDeleter {
  void operator()(libdeflate_compressor* compressor) const {
    libdeflate_free_compressor(compressor);
  }
};

std::string deflate(libdeflate_compressor* compressor, std::string_view data) {
  std::string out(libdeflate_deflate_compress_bound(compressor, data.size()), '\0');
  const auto size =
      libdeflate_deflate_compress(compressor, data.data(), data.size(), out.data(), out.size());
  if (size == 0) {
    throw Error("cannot compress an archive entry", "Report this as a gantry bug.");
  }
  out.resize(size);
  return out;
}

}  // namespace

DosTime dos_time(std::int64_t seconds) {
  constexpr std::int64_t k1980 = 315532800;
  const std::time_t clamped = static_cast<std::time_t>(std::max(seconds, k1980));
  std::tm utc{};
  ::gmtime_r(&clamped, &utc);
  if (utc.tm_year > 2107 - 1900) {
    utc.tm_year = 2107 - 1900;  // the last year a DOS date holds
    utc.tm_mon = 11;
    utc.tm_mday = 31;
    utc.tm_hour = 23;
    utc.tm_min = 59;
    utc.tm_sec = 58;
  }
  DosTime out;
  out.time = static_cast<std::uint16_t>((utc.tm_hour << 11) | (utc.tm_min << 5) | (utc.tm_sec / 2));
  out.date =
      static_cast<std::uint16_t>(((utc.tm_year - 80) << 9) | ((utc.tm_mon + 1) << 5) | utc.tm_mday);
  return out;
}

ZipWriter::ZipWriter(std::filesystem::path target, std::int64_t mtime)
    : target_(std::move(target)), mtime_(mtime) {}

void ZipWriter::add_bytes(std::string name, std::string bytes, std::uint32_t mode) {
  entries_.push_back({std::move(name), std::move(bytes), mode});
}

void ZipWriter::add_file(std::string name, std::filesystem::path path, std::uint32_t mode) {
  entries_.push_back({std::move(name), std::move(path), mode});
}

bool ZipWriter::contains(std::string_view name) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Pending& entry) { return entry.name == name; });
}

void ZipWriter::commit() {
  std::sort(entries_.begin(), entries_.end(),
            [](const Pending& a, const Pending& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < entries_.size(); ++i) {
    if (entries_[i].name == entries_[i - 1].name) {
      throw Error("the archive " + target_.filename().string() + " would hold '" +
                      entries_[i].name + "' twice",
                  "Report this as a gantry bug.");
    }
  }
  if (entries_.size() > 0xffffU) {
    throw Error("the archive " + target_.filename().string() + " would hold " +
                    std::to_string(entries_.size()) + " files, more than a zip without Zip64 can",
                "Leave out files (.jujuignore) so that fewer than 65536 remain.");
  }
  const auto too_big = [&] {
    throw Error("the archive " + target_.filename().string() + " would pass 4 GiB",
                "Leave out large files with .jujuignore.");
  };
  const std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(
      libdeflate_alloc_compressor(kLevel));
  if (!compressor) {
    throw Error("cannot allocate a compressor", "Free some memory and try again.");
  }
  const DosTime when = dos_time(mtime_);
  AtomicFile file(target_);
  std::string directory;
  std::uint64_t offset = 0;
  for (const auto& entry : entries_) {
    const std::string data = std::holds_alternative<std::string>(entry.content)
                                 ? std::get<std::string>(entry.content)
                                 : read_whole(std::get<std::filesystem::path>(entry.content));
    const std::string packed = deflate(compressor.get(), data);
    if (data.size() > kLimit32 || packed.size() > kLimit32 || offset > kLimit32) {
      too_big();
    }
    const auto crc = libdeflate_crc32(0, data.data(), data.size());
    const std::uint16_t flags = is_ascii(entry.name) ? 0 : kUtf8Name;

    std::string local;
    put32(local, 0x04034b50U);
    put16(local, kNeeded);
    put16(local, flags);
    put16(local, kDeflated);
    put16(local, when.time);
    put16(local, when.date);
    put32(local, crc);
    put32(local, packed.size());
    put32(local, data.size());
    put16(local, static_cast<std::uint32_t>(entry.name.size()));
    put16(local, 0);  // no extra field: nothing in it would be reproducible or needed
    local += entry.name;
    file.write(local);
    file.write(packed);

    put32(directory, 0x02014b50U);
    put16(directory, kMadeByUnix);
    put16(directory, kNeeded);
    put16(directory, flags);
    put16(directory, kDeflated);
    put16(directory, when.time);
    put16(directory, when.date);
    put32(directory, crc);
    put32(directory, packed.size());
    put32(directory, data.size());
    put16(directory, static_cast<std::uint32_t>(entry.name.size()));
    put16(directory, 0);  // extra
    put16(directory, 0);  // comment
    put16(directory, 0);  // disk
    put16(directory, 0);  // internal attributes
    put32(directory, static_cast<std::uint64_t>(kRegularFile | (entry.mode & 07777U)) << 16U);
    put32(directory, offset);
    directory += entry.name;
    offset += local.size() + packed.size();
  }
  if (offset + directory.size() > kLimit32) {
    too_big();
  }
  std::string end;
  put32(end, 0x06054b50U);
  put16(end, 0);
  put16(end, 0);
  put16(end, static_cast<std::uint32_t>(entries_.size()));
  put16(end, static_cast<std::uint32_t>(entries_.size()));
  put32(end, directory.size());
  put32(end, offset);
  put16(end, 0);
  file.write(directory);
  file.write(end);
  file.commit();
}

}  // namespace gantry::archive
