#include "gantry/deb/unpacked_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <exception>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/deb_unpacker.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

// A cache entry is a directory <sha256>/ holding root/ (the unpacked data), files (the
// manifest) and warnings, made under a temporary name and renamed whole: another gantry
// sharing the cache sees a complete entry or none.
fs::path warnings_file(const fs::path& root) { return root.parent_path() / "warnings"; }
fs::path manifest_file(const fs::path& root) { return root.parent_path() / "files"; }

// "SIZE MTIME MODE\tPATH" for every regular file of a tree: staged files are hard links
// to these, so a file changed in place through a link is noticed before the tree is used
// again.
std::string manifest_of(const fs::path& tree) {
  std::string manifest;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(tree, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    struct stat status {};
    if (::lstat(it->path().c_str(), &status) == 0 && S_ISREG(status.st_mode)) {
      manifest += std::to_string(status.st_size) + " " + std::to_string(status.st_mtim.tv_sec) +
                  " " + std::to_string(status.st_mode & 07777U) + "\t" +
                  it->path().lexically_relative(tree).string() + "\n";
    }
  }
  return manifest;
}

bool tree_intact(const fs::path& tree) {
  std::ifstream manifest(manifest_file(tree));
  if (!manifest || !fs::is_directory(tree)) {
    return false;
  }
  bool complete = false;
  for (std::string line; std::getline(manifest, line);) {
    if (line == "end") {
      complete = true;  // written last: a manifest cut short by a crash lacks it
      break;
    }
    const auto tab = line.find('\t');
    if (tab == std::string::npos) {
      return false;
    }
    struct stat status {};
    if (::lstat((tree / line.substr(tab + 1)).c_str(), &status) != 0 || !S_ISREG(status.st_mode)) {
      return false;
    }
    const std::string recorded = line.substr(0, tab);
    const std::string current = std::to_string(status.st_size) + " " +
                                std::to_string(status.st_mtim.tv_sec) + " " +
                                std::to_string(status.st_mode & 07777U);
    if (recorded != current) {
      return false;
    }
  }
  return complete;
}

void unpack_one(const CachedDeb& deb, const fs::path& root,
                const std::function<bool()>& cancelled) {
  const fs::path entry = root.parent_path();
  sdk::TemporaryDirectory building(".unpacking-", entry.parent_path());
  const fs::path new_root = building.path() / root.filename();
  std::string warnings;
  StagingTree tree(new_root, [&](const std::string& warning) { warnings += warning + "\n"; });
  tree.set_cancelled(cancelled);
  unpack_deb(deb.file, tree, deb.label);
  ::chmod(new_root.c_str(), 0755);
  ::chmod(building.path().c_str(), 0755);
  std::ofstream(manifest_file(new_root), std::ios::binary) << manifest_of(new_root) << "end\n";
  std::ofstream(warnings_file(new_root), std::ios::binary) << warnings;
  std::error_code error;
  fs::rename(building.path(), entry, error);
  if (!error || tree_intact(root)) {
    return;  // ours, or an intact one another process made first
  }
  // A stale or damaged entry: move it aside, then put ours in its place.
  const fs::path aside = entry.string() + ".stale" + building.path().filename().string();
  fs::rename(entry, aside, error);
  fs::remove_all(aside, error);
  fs::rename(building.path(), entry, error);
  if (error && !tree_intact(root)) {
    throw DebError(
        "cannot store the unpacked " + deb.label + " in " + entry.string() + ": " + error.message(),
        "Check the cache directory's permissions and free space.");
  }
}

}  // namespace

bool UnpackedCache::intact(const CachedDeb& deb) const { return tree_intact(tree_of(deb)); }

void UnpackedCache::stage(const std::vector<CachedDeb>& debs, StagingTree& tree, int jobs,
                          const std::function<void(const std::string&)>& warn,
                          const std::function<void(std::size_t)>& on_merged,
                          const std::function<bool()>& cancelled) {
  fs::create_directories(dir_);
  std::vector<char> ready(debs.size(), 0);
  std::vector<std::size_t> missing;
  for (std::size_t i = 0; i < debs.size(); ++i) {
    ready[i] = intact(debs[i]) ? 1 : 0;
    if (ready[i] == 0) {
      missing.push_back(i);
    }
  }
  // Largest first: the longest decompressions start early and the threads finish together.
  std::stable_sort(missing.begin(), missing.end(), [&](std::size_t a, std::size_t b) {
    std::error_code ignored;
    return fs::file_size(debs[a].file, ignored) > fs::file_size(debs[b].file, ignored);
  });
  std::mutex mutex;
  std::condition_variable changed;
  std::exception_ptr failure;
  bool stop = false;
  std::size_t next = 0;
  const auto unpack_work = [&] {
    while (true) {
      std::size_t index = 0;
      {
        const std::lock_guard lock(mutex);
        if (stop || failure || next >= missing.size()) {
          return;
        }
        index = missing[next++];
      }
      try {
        unpack_one(debs[index], tree_of(debs[index]), cancelled);
        const std::lock_guard lock(mutex);
        ready[index] = 1;
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!failure) {
          failure = std::current_exception();
        }
      }
      changed.notify_all();
    }
  };
  std::vector<std::jthread> workers;
  const auto threads =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), missing.size());
  for (std::size_t i = 0; i < threads; ++i) {
    workers.emplace_back(unpack_work);
  }
  const auto finish = [&] {
    {
      const std::lock_guard lock(mutex);
      stop = true;
    }
    workers.clear();
  };
  try {
    for (std::size_t i = 0; i < debs.size(); ++i) {
      {
        std::unique_lock lock(mutex);
        changed.wait_for(lock, std::chrono::milliseconds(100),
                         [&] { return ready[i] != 0 || failure; });
        while (ready[i] == 0 && !failure) {
          if (cancelled()) {
            throw Cancelled();
          }
          changed.wait_for(lock, std::chrono::milliseconds(100),
                           [&] { return ready[i] != 0 || failure; });
        }
        if (failure) {
          std::rethrow_exception(failure);
        }
      }
      if (cancelled()) {
        throw Cancelled();
      }
      merge(debs[i], tree, warn);
      on_merged(i + 1);
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
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
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    struct stat status {};
    if (::lstat(it->path().c_str(), &status) != 0) {
      continue;
    }
    const std::string name = it->path().lexically_relative(root).string();
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
      tree.add_cached_file(name, status.st_mode & 07777U, status.st_mtim.tv_sec, it->path());
    }
  }
  if (error) {
    throw DebError(
        "cannot read the unpacked " + deb.label + " in " + root.string() + ": " + error.message(),
        "Remove the cache directory " + dir_.string() + " and try again.");
  }
}

}  // namespace gantry::deb
