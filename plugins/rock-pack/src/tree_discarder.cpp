#include "tree_discarder.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gantry/sdk/error.hpp"

namespace gantry::rock_pack {

namespace fs = std::filesystem;

TreeDiscarder::TreeDiscarder(fs::path trash) : trash_(std::move(trash)) {}

void TreeDiscarder::discard(const std::vector<fs::path>& trees) {
  if (deleting_.joinable()) {
    deleting_.join();  // one deletion at a time: it owns trash_
  }
  std::error_code error;
  fs::create_directories(trash_, error);
  // A directory of this call's own, so that names never clash with a killed run's.
  std::string bin = (trash_ / "XXXXXX").string();
  const bool have_bin = !error && ::mkdtemp(bin.data()) != nullptr;
  int number = 0;
  for (const auto& tree : trees) {
    if (!fs::exists(fs::symlink_status(tree))) {
      continue;
    }
    if (have_bin &&
        ::rename(tree.c_str(), (fs::path(bin) / std::to_string(number++)).c_str()) == 0) {
      continue;
    }
    fs::remove_all(tree, error);
    if (error) {
      throw Error(
          "cannot remove " + tree.string() + ": " + error.message(),
          "Check the permissions of " + tree.parent_path().string() + ", or remove it by hand.");
    }
  }
  if (!have_bin) {
    return;  // trash_ is not a directory of ours
  }
  deleting_ = std::jthread([trash = trash_] {
    std::error_code failure;
    fs::remove_all(trash, failure);
    if (failure) {
      // A directory without write permission (permissions: can make one) keeps what it
      // holds: give the owner back its rights, then delete again.
      for (fs::recursive_directory_iterator it(trash, failure), end; !failure && it != end;
           it.increment(failure)) {
        std::error_code ignored;
        if (it->is_directory(ignored) && !it->is_symlink(ignored)) {
          fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
        }
      }
      fs::remove_all(trash, failure);  // what stays still is deleted by the next run
    }
  });
}

}  // namespace gantry::rock_pack
