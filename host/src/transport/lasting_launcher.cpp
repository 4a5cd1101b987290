#include "transport/lasting_launcher.hpp"

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

namespace gantry::host {
namespace {

/// One thread that runs the launches it is given, in order, for the life of the process.
class Launcher {
 public:
  Launcher() : thread_([this] { serve(); }) { thread_.detach(); }

  std::unique_ptr<sdk::ChildProcess> launch(const sdk::ChildSpec& spec) {
    std::packaged_task<std::unique_ptr<sdk::ChildProcess>()> task(
        [&spec] { return std::make_unique<sdk::ChildProcess>(spec); });
    auto result = task.get_future();
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(std::move(task));
    }
    wake_.notify_one();
    return result.get();
  }

 private:
  void serve() {
    while (true) {
      std::packaged_task<std::unique_ptr<sdk::ChildProcess>()> task;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return !queue_.empty(); });
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<std::unique_ptr<sdk::ChildProcess>()>> queue_;
  std::thread thread_;
};

}  // namespace

std::unique_ptr<sdk::ChildProcess> launch_lasting_child(const sdk::ChildSpec& spec) {
  // Never destroyed: the thread must outlive every child, up to the process's exit.
  static auto* const launcher = new Launcher;
  return launcher->launch(spec);
}

}  // namespace gantry::host
