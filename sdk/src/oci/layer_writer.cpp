#include "gantry/oci/layer_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <map>
#include <vector>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

namespace fs = std::filesystem;

// A fixed gzip header: no name, no time, OS "unknown" (255), so that the same tar gives the
// same bytes wherever it is made.
constexpr std::array<unsigned char, 10> kGzipHeader{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};

}  // namespace

namespace {
std::atomic<unsigned> next_layer_number{0};
}  // namespace

struct LayerWriter::State {
  fs::path blobs_dir;
  fs::path staged;  // the blob's name until its digest is known
  archive::AtomicFile file;
  Sha256 uncompressed;
  Sha256 compressed;
  std::uint64_t compressed_size = 0;
  z_stream zlib{};
  std::uint32_t crc = 0;
  std::uint64_t tar_size = 0;
  std::unique_ptr<archive::TarWriter> tar;
  std::array<char, 1 << 16> out{};
  bool finished = false;

  State(fs::path dir, int level)
      : blobs_dir(std::move(dir)),
        staged(blobs_dir / (".layer-" + std::to_string(::getpid()) + "-" +
                            std::to_string(next_layer_number++))),
        file(staged, archive::AtomicFile::Durability::kUnsynced) {
    // Raw deflate (negative window bits) inside a header and trailer of our own.
    if (deflateInit2(&zlib, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw OciError("zlib could not start compressing a layer");
    }
    crc = static_cast<std::uint32_t>(crc32(0, nullptr, 0));
    emit({reinterpret_cast<const char*>(kGzipHeader.data()), kGzipHeader.size()});
    tar = std::make_unique<archive::TarWriter>(
        [this](std::string_view bytes) { consume(bytes); }, 0);
  }
  ~State() { deflateEnd(&zlib); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  void emit(std::string_view bytes) {
    compressed.update(bytes);
    file.write(bytes);
    compressed_size += bytes.size();
  }

  void deflate_all(std::string_view bytes, int flush) {
    zlib.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
    zlib.avail_in = static_cast<uInt>(bytes.size());
    do {
      zlib.next_out = reinterpret_cast<Bytef*>(out.data());
      zlib.avail_out = static_cast<uInt>(out.size());
      const int result = deflate(&zlib, flush);
      if (result == Z_STREAM_ERROR) {
        throw OciError("zlib failed while compressing a layer");
      }
      emit({out.data(), out.size() - zlib.avail_out});
    } while (zlib.avail_out == 0 || (flush == Z_FINISH && zlib.avail_in > 0));
  }

  void consume(std::string_view bytes) {
    uncompressed.update(bytes);
    tar_size += bytes.size();
    crc = static_cast<std::uint32_t>(
        crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
    // Large inputs go through in pieces zlib's 32-bit counters can take.
    while (!bytes.empty()) {
      const auto piece = bytes.substr(0, 1U << 30);
      deflate_all(piece, Z_NO_FLUSH);
      bytes.remove_prefix(piece.size());
    }
  }
};

LayerWriter::LayerWriter(fs::path blobs_dir, int compression_level)
    : state_(std::make_unique<State>(std::move(blobs_dir), compression_level)) {}

LayerWriter::~LayerWriter() = default;

archive::TarWriter& LayerWriter::tar() { return *state_->tar; }

WrittenLayer LayerWriter::finish() {
  auto& state = *state_;
  state.tar->finish();
  state.deflate_all({}, Z_FINISH);
  std::array<unsigned char, 8> trailer{};
  for (int i = 0; i < 4; ++i) {
    trailer[static_cast<std::size_t>(i)] = static_cast<unsigned char>(state.crc >> (8 * i));
    trailer[static_cast<std::size_t>(4 + i)] =
        static_cast<unsigned char>((state.tar_size & 0xFFFFFFFFU) >> (8 * i));
  }
  state.emit({reinterpret_cast<const char*>(trailer.data()), trailer.size()});
  WrittenLayer layer;
  layer.diff_id = state.uncompressed.finish();
  layer.descriptor.media_type = std::string(media_type::kOciLayerGzip);
  layer.descriptor.digest = state.compressed.finish();
  layer.descriptor.size = static_cast<std::int64_t>(state.compressed_size);
  // The temporary file is renamed to the digest it turned out to have.
  archive::AtomicFile& file = state.file;
  const fs::path target = state.blobs_dir / layer.descriptor.digest.hex();
  file.commit();
  std::error_code error;
  fs::rename(state.staged, target, error);
  if (error) {
    throw OciError("cannot store a layer in " + state.blobs_dir.string() + ": " + error.message());
  }
  return layer;
}

void add_tree(archive::TarWriter& tar, const fs::path& root, const TreeEntryPolicy& policy) {
  std::vector<std::string> names;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    names.push_back(it->path().lexically_relative(root).string());
  }
  if (error) {
    throw OciError("cannot read " + root.string() + ": " + error.message());
  }
  // Sorted as paths: a directory right before what it holds ("a/b" before "a-b").
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return (x == '/' ? '\0' : x) < (y == '/' ? '\0' : y);
    });
  });
  add_paths(tar, root, names, policy);
}

void add_paths(archive::TarWriter& tar, const fs::path& root, const std::vector<std::string>& names,
               const TreeEntryPolicy& policy) {
  std::map<std::pair<dev_t, ino_t>, std::string> seen;
  for (const auto& name : names) {
    const fs::path path = root / name;
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
      throw OciError("cannot read " + path.string() + ": " + std::strerror(errno));
    }
    archive::TarEntry entry{.name = name,
                            .mode = static_cast<std::uint32_t>(status.st_mode & 07777U),
                            .mtime = policy.mtime};
    if (S_ISDIR(status.st_mode)) {
      entry.type = archive::TarEntry::Type::kDirectory;
    } else if (S_ISLNK(status.st_mode)) {
      entry.type = archive::TarEntry::Type::kSymlink;
      entry.link = fs::read_symlink(path).string();
      entry.mode = 0777;
    } else if (S_ISREG(status.st_mode)) {
      const auto key = std::pair{status.st_dev, status.st_ino};
      if (status.st_nlink > 1) {
        if (const auto found = seen.find(key); found != seen.end()) {
          entry.type = archive::TarEntry::Type::kHardLink;
          entry.link = found->second;
        } else {
          seen[key] = name;
        }
      }
      if (entry.type == archive::TarEntry::Type::kFile) {
        entry.size = static_cast<std::uint64_t>(status.st_size);
      }
    } else {
      continue;  // sockets, fifos, devices: not in an unprivileged tree
    }
    if (policy.adjust) {
      policy.adjust(name, entry);
    }
    if (entry.type != archive::TarEntry::Type::kFile) {
      tar.add(entry);
      continue;
    }
    tar.add(entry, [&](const auto& write) {
      const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd < 0) {
        throw OciError("cannot read " + path.string() + ": " + std::strerror(errno));
      }
      std::array<char, 1 << 16> buffer{};
      while (true) {
        const auto got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
          continue;
        }
        if (got <= 0) {
          break;
        }
        write({buffer.data(), static_cast<std::size_t>(got)});
      }
      ::close(fd);
    });
  }
}

}  // namespace gantry::oci
