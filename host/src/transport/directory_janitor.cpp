#include "transport/directory_janitor.hpp"

namespace gantry::host {

DirectoryJanitor::DirectoryJanitor() : thread_([this] { work(); }) {}

DirectoryJanitor::~DirectoryJanitor() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

void DirectoryJanitor::remove(std::filesystem::path directory) {
  {
    const std::lock_guard lock(mutex_);
    queue_.push_back(std::move(directory));
  }
  queued_.notify_one();
}

void DirectoryJanitor::work() {
  std::unique_lock lock(mutex_);
  while (true) {
    queued_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      return;  // stopping, and nothing left
    }
    const auto directory = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
    lock.lock();
  }
}

}  // namespace gantry::host
