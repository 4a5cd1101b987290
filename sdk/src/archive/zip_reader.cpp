#include "gantry/archive/zip_reader.hpp"

#include <fcntl.h>
#include <libdeflate.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "gantry/sdk/error.hpp"

namespace gantry::archive {
namespace {

std::uint32_t get16(std::string_view data, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(data[at])) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(data[at + 1])) << 8U);
}

std::uint32_t get32(std::string_view data, std::size_t at) {
  return get16(data, at) | (get16(data, at + 2) << 16U);
}

class Fd {
 public:
  explicit Fd(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  [[nodiscard]] int get() const { return fd_; }

 private:
  int fd_;
};

struct DecompressorDeleter {
  void operator()(libdeflate_decompressor* decompressor) const {
    libdeflate_free_decompressor(decompressor);
  }
};

}  // namespace

std::uint32_t ZipEntryInfo::permissions() const {
  const auto host = made_by >> 8U;
  if (host == 3 || host == 19) {
    return (external_attributes >> 16U) & 0777U;
  }
  if (host == 0 || host == 11 || host == 14) {
    return 0666;
  }
  return 0;
}

ZipReader::ZipReader(std::filesystem::path file) : file_(std::move(file)) {
  const auto not_a_zip = [&](const std::string& why) {
    throw Error(file_.string() + " is not a zip archive (" + why + ")",
                "Give the .charm file charm-pack (or charmcraft pack) wrote.");
  };
  struct stat status {};
  if (::stat(file_.c_str(), &status) != 0) {
    throw Error("cannot read " + file_.string() + ": " + std::strerror(errno), "Check the path.");
  }
  if (!S_ISREG(status.st_mode)) {
    not_a_zip("not a regular file");
  }
  file_size_ = static_cast<std::uint64_t>(status.st_size);
  if (file_size_ < 22) {
    not_a_zip("too short");
  }
  const std::uint64_t tail_size = std::min<std::uint64_t>(file_size_, 22 + 0xffff);
  const std::string tail = read_at(file_size_ - tail_size, tail_size);
  std::size_t end = std::string::npos;
  for (std::size_t at = tail.size() - 22 + 1; at-- > 0;) {
    if (get32(tail, at) == 0x06054b50U) {
      end = at;
      break;
    }
  }
  if (end == std::string::npos) {
    not_a_zip("no end of central directory");
  }
  const std::uint32_t count = get16(tail, end + 10);
  const std::uint32_t directory_size = get32(tail, end + 12);
  const std::uint32_t directory_offset = get32(tail, end + 16);
  if (static_cast<std::uint64_t>(directory_offset) + directory_size > file_size_) {
    not_a_zip("central directory past the end");
  }
  const std::string directory = read_at(directory_offset, directory_size);
  std::size_t at = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (at + 46 > directory.size() || get32(directory, at) != 0x02014b50U) {
      not_a_zip("bad central directory entry");
    }
    ZipEntryInfo entry;
    entry.made_by = static_cast<std::uint16_t>(get16(directory, at + 4));
    entry.method = static_cast<std::uint16_t>(get16(directory, at + 10));
    entry.crc32 = get32(directory, at + 16);
    entry.compressed_size = get32(directory, at + 20);
    entry.size = get32(directory, at + 24);
    const std::uint32_t name_size = get16(directory, at + 28);
    const std::uint32_t extra_size = get16(directory, at + 30);
    const std::uint32_t comment_size = get16(directory, at + 32);
    entry.external_attributes = get32(directory, at + 38);
    entry.local_header_offset = get32(directory, at + 42);
    if (at + 46 + name_size > directory.size()) {
      not_a_zip("bad central directory entry");
    }
    entry.name = directory.substr(at + 46, name_size);
    entries_.push_back(std::move(entry));
    at += 46 + name_size + extra_size + comment_size;
  }
}

std::string ZipReader::read_at(std::uint64_t offset, std::uint64_t size) const {
  // Sizes and offsets come from the archive: one past the end is a truncated (or lying)
  // file, refused before a buffer of the claimed size (up to 4 GiB) is allocated.
  if (offset > file_size_ || size > file_size_ - offset) {
    throw Error(file_.string() + " is truncated", "Pack or download the file again.");
  }
  const Fd fd(file_);
  if (fd.get() < 0) {
    throw Error("cannot read " + file_.string() + ": " + std::strerror(errno), "Check the path.");
  }
  std::string out(size, '\0');
  std::uint64_t done = 0;
  while (done < size) {
    const auto got =
        ::pread(fd.get(), out.data() + done, size - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      throw Error(file_.string() + " is truncated", "Pack or download the file again.");
    }
    done += static_cast<std::uint64_t>(got);
  }
  return out;
}

const ZipEntryInfo* ZipReader::find(std::string_view name) const {
  const auto found = std::find_if(entries_.begin(), entries_.end(),
                                  [&](const ZipEntryInfo& entry) { return entry.name == name; });
  return found == entries_.end() ? nullptr : &*found;
}

std::optional<std::string> ZipReader::read(std::string_view name, std::uint64_t limit) const {
  const ZipEntryInfo* entry = find(name);
  if (entry == nullptr) {
    return std::nullopt;
  }
  if (entry->size > limit) {
    throw Error(std::string(name) + " in " + file_.string() + " is larger than " +
                    std::to_string(limit) + " bytes",
                "Check that this is the archive you meant.");
  }
  const std::string local = read_at(entry->local_header_offset, 30);
  if (get32(local, 0) != 0x04034b50U) {
    throw Error(file_.string() + " has a bad local header for " + std::string(name),
                "Pack or download the file again.");
  }
  const std::uint64_t data_at =
      entry->local_header_offset + 30 + get16(local, 26) + get16(local, 28);
  const std::string packed = read_at(data_at, entry->compressed_size);
  std::string data;
  if (entry->method == 0) {
    // Stored: the bytes are the content, so their size is the one `limit` was checked on.
    if (entry->compressed_size != entry->size) {
      throw Error(std::string(name) + " in " + file_.string() +
                      " is stored uncompressed but its two sizes differ",
                  "Pack or download the file again.");
    }
    data = packed;
  } else if (entry->method == 8) {
    const std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> decompressor(
        libdeflate_alloc_decompressor());
    data.assign(entry->size, '\0');
    std::size_t actual = 0;
    if (!decompressor ||
        libdeflate_deflate_decompress(decompressor.get(), packed.data(), packed.size(), data.data(),
                                      data.size(), &actual) != LIBDEFLATE_SUCCESS ||
        actual != entry->size) {
      throw Error(std::string(name) + " in " + file_.string() + " does not inflate",
                  "Pack or download the file again.");
    }
  } else {
    throw Error(std::string(name) + " in " + file_.string() + " uses compression method " +
                    std::to_string(entry->method) + ", which gantry does not read",
                "Repack it with deflate (charm-pack, charmcraft or zip do).");
  }
  if (libdeflate_crc32(0, data.data(), data.size()) != entry->crc32) {
    throw Error(std::string(name) + " in " + file_.string() + " fails its CRC check",
                "Pack or download the file again.");
  }
  return data;
}

}  // namespace gantry::archive
