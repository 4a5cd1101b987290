#include "scheduler/scheduler.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "gantry/sdk/event_sink.hpp"

namespace gantry::host {
namespace {

using Clock = std::chrono::steady_clock;

/// A step's events go to the reporter; it is cancelled when the scheduler says so. The
/// artifacts it announces are kept, for the step cache.
class StepSink final : public sdk::EventSink {
 public:
  StepSink(Reporter& reporter, std::string id, const std::atomic<bool>& cancel)
      : reporter_(reporter), id_(std::move(id)), cancel_(cancel) {}

  void emit(const v1::RunEvent& event) override {
    if (event.has_artifact()) {
      const std::lock_guard lock(mutex_);
      artifacts_.push_back(event.artifact());
    }
    reporter_.step_event(id_, event);
  }
  [[nodiscard]] bool cancelled() const override { return cancel_.load(); }

  [[nodiscard]] std::vector<v1::Artifact> artifacts() const {
    const std::lock_guard lock(mutex_);
    return artifacts_;
  }

 private:
  Reporter& reporter_;
  std::string id_;
  const std::atomic<bool>& cancel_;
  mutable std::mutex mutex_;
  std::vector<v1::Artifact> artifacts_;
};

v1::RunEvent event_now() {
  v1::RunEvent event;
  event.set_time_unix_micros(sdk::now_unix_micros());
  return event;
}

enum class Phase { kWaiting, kRunning, kDone };

struct Slot {
  const PlannedStep* step = nullptr;
  Phase phase = Phase::kWaiting;
  std::atomic<bool> cancel{false};
  Clock::time_point started;
  std::thread thread;
  StepReport report;
};

StepState state_of(const v1::Result& result) {
  switch (result.outcome()) {
    case v1::OUTCOME_OK:
      return StepState::kSucceeded;
    case v1::OUTCOME_CANCELLED:
      return StepState::kCancelled;
    default:
      return StepState::kFailed;
  }
}

class PlanRun {
 public:
  PlanRun(const Plan& plan, Reporter& reporter, const SchedulerOptions& options)
      : plan_(plan), reporter_(reporter), options_(options), slots_(plan.steps.size()) {
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
      slots_[i].step = &plan.steps[i];
      slots_[i].report.id = plan.steps[i].id;
      slots_[i].report.uses =
          plan.steps[i].endpoint != nullptr ? plan.steps[i].endpoint->description().name() : "";
      by_id_.emplace(plan.steps[i].id, i);
    }
  }

  RunSummary run() {
    const auto started = Clock::now();
    reporter_.run_started(options_.run_id, slots_.size());
    std::unique_lock lock(mutex_);
    while (true) {
      if (!stopping_) {
        start_ready();
      }
      if (running_ == 0) {
        break;
      }
      finished_.wait_for(lock, std::chrono::milliseconds(50), [&] { return !completed_.empty(); });
      if (!stopping_ && options_.interrupted()) {
        interrupted_ = true;
        stop_all();
      }
      while (!completed_.empty()) {
        const std::size_t index = completed_.front();
        completed_.pop_front();
        finish(index, lock);
      }
    }
    lock.unlock();
    RunSummary summary;
    summary.run_id = options_.run_id;
    summary.interrupted = interrupted_;
    for (auto& slot : slots_) {
      if (slot.phase == Phase::kWaiting) {
        slot.report.state = StepState::kSkipped;
        slot.report.skip_reason = skip_reason(slot);
        reporter_.step_finished(slot.report);
      }
      summary.steps.push_back(slot.report);
    }
    summary.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    reporter_.run_finished(summary);
    return summary;
  }

 private:
  /// By index: skipping every step after a failure must stay linear in their number.
  [[nodiscard]] const Slot* slot_of(const std::string& id) const {
    const auto found = by_id_.find(id);
    return found == by_id_.end() ? nullptr : &slots_[found->second];
  }

  [[nodiscard]] bool ready(const Slot& slot) const {
    for (const auto& need : slot.step->needs) {
      const auto* dependency = slot_of(need);
      if (dependency == nullptr || dependency->phase != Phase::kDone ||
          dependency->report.state != StepState::kSucceeded) {
        return false;
      }
    }
    return true;
  }

  void start_ready() {
    for (std::size_t i = 0; i < slots_.size() && running_ < std::max<std::size_t>(1, options_.jobs);
         ++i) {
      auto& slot = slots_[i];
      if (slot.phase != Phase::kWaiting || !ready(slot)) {
        continue;
      }
      slot.phase = Phase::kRunning;
      slot.started = Clock::now();
      ++running_;
      reporter_.step_started(slot.report.id, slot.report.uses);
      slot.thread = std::thread([this, i, outputs = outputs_] { execute(i, outputs); });
    }
  }

  /// On the step's own thread.
  void execute(std::size_t index, const OutputTable& outputs) {
    auto& slot = slots_[index];
    StepSink sink(reporter_, slot.step->id, slot.cancel);
    v1::Result result;
    try {
      v1::RunRequest request;
      request.set_run_id(options_.run_id);
      request.set_step_id(slot.step->id);
      request.set_working_directory(plan_.working_directory.string());
      *request.mutable_params() = slot.step->resolve(outputs);
      const auto key = cache_key(*slot.step, request);
      if (const auto hit = key ? options_.cache->find(*key) : std::nullopt) {
        result = replay(*hit, sink);
        const std::lock_guard lock(mutex_);
        slot.report.cached = true;
      } else {
        result = slot.step->endpoint->run(request, sink);
        if (key && result.outcome() == v1::OUTCOME_OK) {
          options_.cache->store(*key, result, sink.artifacts(), options_.run_id);
        }
      }
    } catch (const Error& error) {
      result.set_outcome(v1::OUTCOME_FAILED);
      result.set_message(error.what());
      result.set_resolution(error.resolution());
      v1::RunEvent event;
      event.set_time_unix_micros(sdk::now_unix_micros());
      *event.mutable_result() = result;
      sink.emit(event);
    }
    const std::lock_guard lock(mutex_);
    slot.report.result = std::move(result);
    completed_.push_back(index);
    finished_.notify_one();
  }

  /// The step's cache key; none without a cache, for a step that is not cacheable, or
  /// when its inputs cannot be read (the step then runs and says what is wrong).
  [[nodiscard]] std::optional<std::string> cache_key(const PlannedStep& step,
                                                     const v1::RunRequest& request) const {
    if (options_.cache == nullptr) {
      return std::nullopt;
    }
    try {
      return options_.cache->key(step.endpoint->description(), request.params(),
                                 plan_.working_directory, step.endpoint->origin());
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }

  /// A cache hit, told as the step would tell it: what it is, its artifacts, its result.
  static v1::Result replay(const CachedRun& hit, StepSink& sink) {
    auto said = event_now();
    said.mutable_log()->set_level(v1::LOG_LEVEL_INFO);
    said.mutable_log()->set_message("cached: the same inputs as in run " + hit.run_id +
                                    "; its outputs and artifacts are reused (--no-cache runs "
                                    "the step)");
    sink.emit(said);
    for (const auto& artifact : hit.artifacts) {
      auto announced = event_now();
      *announced.mutable_artifact() = artifact;
      sink.emit(announced);
    }
    auto finished = event_now();
    *finished.mutable_result() = hit.result;
    sink.emit(finished);
    return hit.result;
  }

  void finish(std::size_t index, std::unique_lock<std::mutex>& lock) {
    auto& slot = slots_[index];
    lock.unlock();
    slot.thread.join();
    lock.lock();
    slot.phase = Phase::kDone;
    --running_;
    slot.report.state = state_of(slot.report.result);
    slot.report.elapsed =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - slot.started);
    if (slot.report.state == StepState::kSucceeded) {
      outputs_[slot.step->id] = {slot.report.result.outputs().begin(),
                                 slot.report.result.outputs().end()};
    } else if (!stopping_) {
      if (first_failure_.empty()) {
        first_failure_ = slot.step->id;
      }
      if (!options_.keep_going) {
        stop_all();
      }
    }
    lock.unlock();
    reporter_.step_finished(slot.report);
    lock.lock();
  }

  void stop_all() {
    stopping_ = true;
    for (auto& slot : slots_) {
      if (slot.phase == Phase::kRunning) {
        slot.cancel = true;
      }
    }
  }

  [[nodiscard]] std::string skip_reason(const Slot& slot) const {
    for (const auto& need : slot.step->needs) {
      const auto* dependency = slot_of(need);
      if (dependency != nullptr && dependency->report.state != StepState::kSucceeded) {
        return "it needs '" + need + "', which " +
               (dependency->phase == Phase::kWaiting ? std::string("did not run")
                                                     : state_name(dependency->report.state));
      }
    }
    if (interrupted_) {
      return "the run was interrupted";
    }
    return "the run stopped after '" + first_failure_ + "' " +
           state_name(slot_of(first_failure_)->report.state);
  }

  const Plan& plan_;
  Reporter& reporter_;
  const SchedulerOptions& options_;
  std::deque<Slot> slots_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::mutex mutex_;
  std::condition_variable finished_;
  std::deque<std::size_t> completed_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  bool interrupted_ = false;
  std::string first_failure_;
  OutputTable outputs_;
};

}  // namespace

RunSummary run_plan(const Plan& plan, Reporter& reporter, const SchedulerOptions& options) {
  return PlanRun(plan, reporter, options).run();
}

}  // namespace gantry::host
