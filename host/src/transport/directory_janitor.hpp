#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

namespace gantry::host {

/// Removes directory trees on a thread of its own, in the order given, so that whoever
/// hands one over does not wait for it: a runner's old runs, whose removal (a few unlinks
/// on a journalled filesystem) had been a tenth of every remote call. The destructor
/// finishes what is queued. Removal failures are ignored: what is left is only disk.
class DirectoryJanitor {
 public:
  DirectoryJanitor();
  ~DirectoryJanitor();
  DirectoryJanitor(const DirectoryJanitor&) = delete;
  DirectoryJanitor& operator=(const DirectoryJanitor&) = delete;

  void remove(std::filesystem::path directory);

 private:
  void work();

  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<std::filesystem::path> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: started once the rest is constructed
};

}  // namespace gantry::host
