#include "gantry/oci/tar_index.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

constexpr std::size_t kBlock = 512;

/// Closes a descriptor when it goes.
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

std::string normalize(std::string name) {
  while (name.starts_with("./")) {
    name.erase(0, 2);
  }
  while (!name.empty() && name.back() == '/') {
    name.pop_back();
  }
  return name;
}

std::string field(const char* data, std::size_t length) {
  return std::string(data, ::strnlen(data, length));
}

/// A numeric header field: octal text, or base-256 when the top bit is set (GNU, large files).
std::optional<std::uint64_t> number(const unsigned char* data, std::size_t length) {
  if ((data[0] & 0x80) != 0) {
    std::uint64_t value = data[0] & 0x7F;
    for (std::size_t i = 1; i < length; ++i) {
      value = (value << 8) | data[i];
    }
    return value;
  }
  std::uint64_t value = 0;
  std::size_t i = 0;
  while (i < length && (data[i] == ' ' || data[i] == '\0')) {
    ++i;
  }
  for (; i < length && data[i] >= '0' && data[i] <= '7'; ++i) {
    value = value * 8 + (data[i] - '0');
  }
  for (; i < length; ++i) {
    if (data[i] != ' ' && data[i] != '\0') {
      return std::nullopt;
    }
  }
  return value;
}

bool checksum_ok(const std::array<unsigned char, kBlock>& header) {
  const auto stored = number(header.data() + 148, 8);
  if (!stored) {
    return false;
  }
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : header[i];
  }
  return sum == *stored;
}

/// The `path` record of a pax extended header, if any. Each record is "LENGTH KEY=VALUE\n"
/// with LENGTH counting the whole record (POSIX, pax format); the first one that is not
/// well formed ends the search, as it leaves no way to find the next.
std::optional<std::string> pax_path(std::string_view records) {
  std::size_t at = 0;
  while (at < records.size()) {
    const auto space = records.find(' ', at);
    if (space == std::string_view::npos) {
      break;
    }
    std::size_t length = 0;
    const auto [end, error] = std::from_chars(records.data() + at, records.data() + space, length);
    // At least the length, the space and the newline; and inside the header.
    if (error != std::errc() || end != records.data() + space || length < space - at + 2 ||
        length > records.size() - at) {
      break;
    }
    const auto record = records.substr(space + 1, length - (space - at) - 2);
    if (record.starts_with("path=")) {
      return std::string(record.substr(5));
    }
    at += length;
  }
  return std::nullopt;
}

}  // namespace

TarIndex TarIndex::scan(const std::filesystem::path& file) {
  FileDescriptor handle{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (handle.fd < 0) {
    throw OciError("cannot open " + file.string() + ": " + std::strerror(errno),
                   "Check the path of the archive.");
  }
  const auto not_a_tar = [&](const std::string& why) {
    return OciError(file.string() + " is not an uncompressed tar archive (" + why + ")",
                    "Give an OCI archive such as a .rock written by rockcraft or gantry.");
  };
  const auto read_at = [&](std::uint64_t offset, void* buffer, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
      const auto got = ::pread(handle.fd, static_cast<char*>(buffer) + done, size - done,
                               static_cast<off_t>(offset + done));
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got <= 0) {
        return false;
      }
      done += static_cast<std::size_t>(got);
    }
    return true;
  };

  struct stat status {};
  if (::fstat(handle.fd, &status) != 0) {
    throw OciError("cannot read " + file.string() + ": " + std::strerror(errno));
  }
  const auto file_size = static_cast<std::uint64_t>(status.st_size);
  TarIndex index;
  std::uint64_t offset = 0;
  std::optional<std::string> long_name;
  bool saw_header = false;
  std::array<unsigned char, kBlock> header{};
  while (true) {
    if (!read_at(offset, header.data(), kBlock)) {
      if (!saw_header) {
        throw not_a_tar("it is empty or shorter than one tar block");
      }
      break;  // a tar without end blocks: accept what was read
    }
    if (std::all_of(header.begin(), header.end(), [](unsigned char c) { return c == 0; })) {
      break;  // end of archive
    }
    if (!checksum_ok(header)) {
      throw not_a_tar(saw_header ? "a damaged header at byte " + std::to_string(offset)
                                 : "no tar header at its start");
    }
    saw_header = true;
    const auto size = number(header.data() + 124, 12);
    if (!size) {
      throw not_a_tar("an unreadable size at byte " + std::to_string(offset));
    }
    const char type = static_cast<char>(header[156]);
    const std::uint64_t data = offset + kBlock;
    // Not `data + *size`: a base-256 size can be near 2^64 and wrap the sum.
    if (data > file_size || *size > file_size - data) {
      throw not_a_tar("it is truncated: a member at byte " + std::to_string(offset) + " needs " +
                      std::to_string(*size) + " bytes");
    }
    const std::uint64_t next = data + (*size + kBlock - 1) / kBlock * kBlock;
    if (type == 'L' || type == 'x') {
      std::string payload(*size, '\0');
      if (!read_at(data, payload.data(), payload.size())) {
        throw not_a_tar("it ends inside an extended header");
      }
      if (type == 'L') {
        long_name = field(payload.data(), payload.size());
      } else if (auto path = pax_path(payload)) {
        long_name = std::move(path);
      }
    } else {
      std::string name;
      if (long_name) {
        name = *long_name;
        long_name.reset();
      } else {
        name = field(reinterpret_cast<const char*>(header.data()), 100);
        const std::string prefix = field(reinterpret_cast<const char*>(header.data()) + 345, 155);
        if (!prefix.empty() && std::memcmp(header.data() + 257, "ustar", 5) == 0) {
          name = prefix + "/" + name;
        }
      }
      if (type == '0' || type == '\0' || type == '7') {
        index.members_[normalize(name)] = {data, *size};
      }
    }
    offset = next;
  }
  return index;
}

std::optional<TarMember> TarIndex::find(const std::string& name) const {
  const auto found = members_.find(normalize(name));
  if (found == members_.end()) {
    return std::nullopt;
  }
  return found->second;
}

}  // namespace gantry::oci
