#include "gantry/oci/layer_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "block_compressor.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/tree_walk.hpp"

namespace gantry::oci {
namespace {

namespace fs = std::filesystem;

// The tar stream is cut into blocks compressed in parallel, each into a complete gzip
// member (RFC 1952 allows a file of several; gzip, Go, Python and zlib's readers take
// them), as bgzip writes. The cut depends only on the bytes, so the same tree gives the
// same blob.
constexpr std::size_t kBlockSize = 1U << 20;

std::atomic<unsigned> next_layer_number{0};

}  // namespace

struct LayerWriter::State {
  /// One block of the tar stream on its way through: compressed by a worker, then hashed
  /// and written in order by the writer.
  struct Block {
    std::size_t index = 0;
    std::string input;   // the tar bytes
    std::string output;  // their gzip member
  };

  fs::path blobs_dir;
  fs::path staged;  // the blob's name until its digest is known
  archive::AtomicFile file;
  Sha256 uncompressed;
  Sha256 compressed;
  std::uint64_t compressed_size = 0;
  int level;
  Block filling;  // the block the tar stream is being cut into
  std::unique_ptr<archive::TarWriter> tar;

  // The threads: the compressing workers take blocks from `queue` and put them in `done`;
  // the writer takes them from `done` in order, hashes both forms and writes the output,
  // then gives the buffers back to `spare` for the next blocks. The tar stream's thread
  // only cuts blocks, so that hashing and writing do not hold it up.
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable block_done;
  std::condition_variable block_written;
  std::deque<Block> queue;
  std::map<std::size_t, Block> done;
  std::vector<Block> spare;
  std::size_t submitted = 0;
  std::size_t written = 0;
  bool stopping = false;
  std::exception_ptr failure;
  std::vector<std::thread> workers;
  std::thread writer;

  State(fs::path dir, int compression_level)
      : blobs_dir(std::move(dir)),
        staged(blobs_dir / (".layer-" + std::to_string(::getpid()) + "-" +
                            std::to_string(next_layer_number++))),
        file(staged, archive::AtomicFile::Durability::kUnsynced),
        level(compression_level) {
    (void)BlockCompressor::level_buffer_size(level);  // a level ISA-L has not fails here
    filling.input.reserve(kBlockSize);
    try {
      const unsigned count = std::max(1U, std::thread::hardware_concurrency());
      for (unsigned i = 0; i < count; ++i) {
        workers.emplace_back([this] { compress_blocks(); });
      }
      writer = std::thread([this] { write_blocks(); });
      tar = std::make_unique<archive::TarWriter>([this](std::string_view bytes) { consume(bytes); },
                                                 0);
    } catch (const std::exception& error) {
      stop();  // no destructor runs for a half-made State
      throw OciError(std::string("cannot start writing a layer: ") + error.what(),
                     "The machine may be short of memory or of processes (ulimit -u).");
    }
  }
  ~State() { stop(); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  void stop() {
    {
      const std::lock_guard lock(mutex);
      stopping = true;
    }
    work_ready.notify_all();
    block_done.notify_all();
    for (auto& worker : workers) {
      worker.join();
    }
    if (writer.joinable()) {
      writer.join();
    }
  }

  /// How many blocks may be cut and not yet written: enough to keep every worker busy.
  [[nodiscard]] std::size_t max_in_flight() const { return 2 * workers.size() + 2; }

  void fail(std::exception_ptr error) {
    const std::lock_guard lock(mutex);
    if (!failure) {
      failure = std::move(error);
    }
    block_written.notify_all();
  }

  void compress_blocks() {
    std::unique_ptr<BlockCompressor> compressor;
    std::exception_ptr unavailable;  // reported for the first block this worker takes
    try {
      compressor = std::make_unique<BlockCompressor>(level, kBlockSize);
    } catch (...) {
      unavailable = std::current_exception();
    }
    while (true) {
      Block block;
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return stopping || !queue.empty(); });
        if (stopping) {
          return;  // the layer is abandoned, or finished and its queue empty
        }
        block = std::move(queue.front());
        queue.pop_front();
      }
      try {
        if (!compressor) {
          std::rethrow_exception(unavailable);
        }
        compressor->compress(block.input, block.output);
      } catch (...) {
        fail(std::current_exception());
        continue;
      }
      const std::lock_guard lock(mutex);
      done.emplace(block.index, std::move(block));
      block_done.notify_all();
    }
  }

  void write_blocks() {
    while (true) {
      Block block;
      {
        std::unique_lock lock(mutex);
        block_done.wait(lock, [&] { return stopping || done.contains(written); });
        if (stopping) {
          return;
        }
        const auto ready = done.find(written);
        block = std::move(ready->second);
        done.erase(ready);
      }
      try {
        uncompressed.update(block.input);
        compressed.update(block.output);
        file.write(block.output);
        compressed_size += block.output.size();
      } catch (...) {
        fail(std::current_exception());
        return;
      }
      const std::lock_guard lock(mutex);
      ++written;
      block.input.clear();
      spare.push_back(std::move(block));
      block_written.notify_all();
    }
  }

  /// Waits until at most `in_flight` blocks are cut and not written; rethrows what failed.
  void wait_for_writes(std::size_t in_flight) {
    std::unique_lock lock(mutex);
    block_written.wait(lock, [&] { return failure || submitted - written <= in_flight; });
    if (failure) {
      std::rethrow_exception(failure);
    }
  }

  void submit() {
    if (filling.input.empty()) {
      return;
    }
    wait_for_writes(max_in_flight() - 1);
    {
      const std::lock_guard lock(mutex);
      filling.index = submitted++;
      queue.push_back(std::move(filling));
      if (spare.empty()) {
        filling = Block{};
        filling.input.reserve(kBlockSize);
      } else {
        filling = std::move(spare.back());
        spare.pop_back();
      }
    }
    work_ready.notify_one();
  }

  void consume(std::string_view bytes) {
    while (!bytes.empty()) {
      auto& block = filling.input;
      const auto room = kBlockSize - block.size();
      block.append(bytes.substr(0, room));
      bytes.remove_prefix(std::min(room, bytes.size()));
      if (block.size() == kBlockSize) {
        submit();
      }
    }
  }
};

LayerWriter::LayerWriter(fs::path blobs_dir, int compression_level)
    : state_(std::make_unique<State>(std::move(blobs_dir), compression_level)) {}

LayerWriter::~LayerWriter() = default;

const std::string& LayerWriter::compressor_fingerprint() {
  static const std::string fingerprint = [] {
    // Words in an order a generator gives: enough matches, literals and block boundaries
    // for the code ISA-L picks to show in the bytes (256 KiB; ~1 ms).
    std::string probe;
    std::uint32_t state = 1;
    while (probe.size() < (256U << 10)) {
      state = state * 1103515245U + 12345U;
      probe += "word" + std::to_string((state >> 16U) % 3000U) + ((state & 7U) == 0 ? "\n" : " ");
    }
    BlockCompressor compressor(kDefaultCompressionLevel, probe.size());
    std::string out;
    compressor.compress(probe, out);
    return net::sha256_of(out).hex().substr(0, 16);
  }();
  return fingerprint;
}

archive::TarWriter& LayerWriter::tar() { return *state_->tar; }

WrittenLayer LayerWriter::finish() {
  auto& state = *state_;
  state.tar->finish();
  state.submit();
  state.wait_for_writes(0);
  WrittenLayer layer;
  layer.diff_id = state.uncompressed.finish();
  layer.descriptor.media_type = std::string(media_type::kOciLayerGzip);
  layer.descriptor.digest = state.compressed.finish();
  layer.descriptor.size = static_cast<std::int64_t>(state.compressed_size);
  // The temporary file is renamed to the digest it turned out to have.
  const fs::path target = state.blobs_dir / layer.descriptor.digest.hex();
  state.file.commit();
  std::error_code error;
  fs::rename(state.staged, target, error);
  if (error) {
    throw OciError("cannot store a layer in " + state.blobs_dir.string() + ": " + error.message());
  }
  return layer;
}

void add_tree(archive::TarWriter& tar, const fs::path& root, const TreeEntryPolicy& policy) {
  std::vector<std::string> names;
  try {
    sdk::walk_tree(
        root,
        [&](const std::string& name, const struct stat&) {
          names.push_back(name);
          return true;
        },
        sdk::TreeDetail::kKind);
  } catch (const Error& error) {
    throw OciError(error.what(), error.resolution());
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
  // The first name of each inode, with the owner and mode it was written with: a later
  // name becomes a hard link only when it would read back the same.
  std::map<std::pair<dev_t, ino_t>, archive::TarEntry> seen;
  for (const auto& name : names) {
    if (policy.cancelled && policy.cancelled()) {
      throw Cancelled();
    }
    const fs::path relative(name);
    if (name.empty() || relative.is_absolute() ||
        std::any_of(relative.begin(), relative.end(),
                    [](const fs::path& c) { return c == ".."; })) {
      throw OciError("the layer entry '" + name + "' is not a path inside " + root.string());
    }
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
      entry.size = static_cast<std::uint64_t>(status.st_size);
    } else {
      continue;  // sockets, fifos, devices: not in an unprivileged tree
    }
    if (policy.adjust) {
      policy.adjust(name, entry);
    }
    if (entry.type == archive::TarEntry::Type::kFile && status.st_nlink > 1) {
      const auto key = std::pair{status.st_dev, status.st_ino};
      if (const auto found = seen.find(key); found == seen.end()) {
        seen.emplace(key, entry);
      } else if (found->second.uid == entry.uid && found->second.gid == entry.gid &&
                 found->second.mode == entry.mode) {
        entry.type = archive::TarEntry::Type::kHardLink;
        entry.link = found->second.name;
        entry.size = 0;
      }
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
      // Closed however this ends: `write` throws when the layer fails (a full disk).
      struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
      } const closing{fd};
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
    });
  }
}

}  // namespace gantry::oci
