#include "gantry/deb/unpacked_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/deb_unpacker.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

fs::path warnings_file(const fs::path& tree) { return tree.string() + ".warnings"; }

void unpack_one(const CachedDeb& deb, const fs::path& target) {
  sdk::TemporaryDirectory building(".unpacking-", target.parent_path());
  // Warnings (dropped setuid bits) are kept beside the tree and given at each merge.
  std::string warnings;
  StagingTree tree(building.path(),
                   [&](const std::string& warning) { warnings += warning + "\n"; });
  unpack_deb(deb.file, tree, deb.label);
  archive::write_file_atomically(warnings_file(target), warnings);
  ::chmod(building.path().c_str(), 0755);
  std::error_code error;
  fs::rename(building.path(), target, error);
  if (error && !fs::exists(target)) {
    throw DebError("cannot store the unpacked " + deb.label + " in " + target.string() + ": " +
                       error.message(),
                   "Check the cache directory's permissions and free space.");
  }
}

}  // namespace

void UnpackedCache::prepare(const std::vector<CachedDeb>& debs, int jobs,
                            const std::function<void(std::size_t)>& on_unpacked,
                            const std::function<bool()>& cancelled) {
  fs::create_directories(dir_);
  std::vector<const CachedDeb*> missing;
  for (const auto& deb : debs) {
    if (!fs::exists(tree_of(deb))) {
      missing.push_back(&deb);
    }
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{debs.size() - missing.size()};
  std::mutex mutex;
  std::exception_ptr failure;
  const auto work = [&] {
    while (true) {
      const std::size_t index = next++;
      if (index >= missing.size() || cancelled()) {
        return;
      }
      {
        const std::lock_guard lock(mutex);
        if (failure) {
          return;
        }
      }
      try {
        unpack_one(*missing[index], tree_of(*missing[index]));
        const std::lock_guard lock(mutex);
        on_unpacked(++done);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!failure) {
          failure = std::current_exception();
        }
      }
    }
  };
  const auto threads =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), missing.size());
  std::vector<std::jthread> workers;
  for (std::size_t i = 1; i < threads; ++i) {
    workers.emplace_back(work);
  }
  work();
  workers.clear();
  if (failure) {
    std::rethrow_exception(failure);
  }
  if (cancelled()) {
    throw Cancelled();
  }
}

void UnpackedCache::merge(const CachedDeb& deb, StagingTree& tree,
                          const std::function<void(const std::string&)>& warn) const {
  const fs::path root = tree_of(deb);
  std::ifstream warnings(warnings_file(root));
  for (std::string line; std::getline(warnings, line);) {
    warn(deb.label + ": " + line);
  }
  std::map<std::pair<dev_t, ino_t>, std::string> seen_inodes;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(root, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (error) {
      break;
    }
    const std::string name = it->path().lexically_relative(root).string();
    struct stat status {};
    if (::lstat(it->path().c_str(), &status) != 0) {
      continue;
    }
    if (S_ISDIR(status.st_mode)) {
      tree.add_directory(name, status.st_mode & 07777U);
    } else if (S_ISLNK(status.st_mode)) {
      std::array<char, 4096> target{};
      const auto length = ::readlink(it->path().c_str(), target.data(), target.size() - 1);
      tree.add_symlink(name, std::string(target.data(), static_cast<std::size_t>(length)),
                       status.st_mtim.tv_sec);
    } else if (S_ISREG(status.st_mode)) {
      const auto key = std::pair{status.st_dev, status.st_ino};
      if (status.st_nlink > 1) {
        if (const auto found = seen_inodes.find(key); found != seen_inodes.end()) {
          tree.add_hardlink(name, found->second);
          continue;
        }
        seen_inodes[key] = name;
      }
      tree.add_file_copy(name, status.st_mode & 07777U, status.st_mtim.tv_sec, it->path());
    }
  }
  if (error) {
    throw DebError(
        "cannot read the unpacked " + deb.label + " in " + root.string() + ": " + error.message(),
        "Remove the cache directory " + root.parent_path().string() + " and try again.");
  }
}

}  // namespace gantry::deb
