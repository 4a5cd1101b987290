#pragma once

#include <filesystem>
#include <thread>
#include <vector>

namespace gantry::rock_pack {

/// Deletes directory trees while the caller goes on: each is renamed into `trash` (one
/// rename, so its name is free at once) and a thread of its own deletes what `trash`
/// holds, trees left there by a run that was killed included. Removing the ~7,000 staged
/// and primed entries of a Flask rock took a third of a re-pack.
/// The destructor waits for the deletion.
class TreeDiscarder {
 public:
  /// `trash` must be on the trees' filesystem; it is created when needed.
  explicit TreeDiscarder(std::filesystem::path trash);
  ~TreeDiscarder() = default;
  TreeDiscarder(const TreeDiscarder&) = delete;
  TreeDiscarder& operator=(const TreeDiscarder&) = delete;

  /// Takes `trees` (those that exist) out of the way now and deletes them on the thread; a
  /// tree that cannot be renamed is deleted here. Throws gantry::Error when a tree can be
  /// neither renamed nor deleted.
  void discard(const std::vector<std::filesystem::path>& trees);

 private:
  std::filesystem::path trash_;
  std::jthread deleting_;
};

}  // namespace gantry::rock_pack
