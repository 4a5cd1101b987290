// The cost of one call to a no-op step through each transport, in one run:
//   in process    the plugin ABI: Describe + Run, every message serialized both ways
//                 (target < 20 µs per call);
//   process       `isolation: process`: the Step service over a unix socket to
//                 `gantry plugin-serve` (target <= 1 ms per call);
//   remote        `runs-on:` a runner (`gantry serve`) on loopback TCP: each call sends
//                 a one-step pipeline and the (empty) project, and gets the run's events
//                 back (target <= 2 ms per call).
// Describe through a process is one unary call; its Run is a server stream of two events.
#include <benchmark/benchmark.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gantry/sdk/child_process.hpp"
#include "gantry/sdk/event_sink.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "plugins/in_process_endpoint.hpp"
#include "transport/process_endpoint.hpp"
#include "transport/remote_step_endpoint.hpp"

namespace {

class DiscardingSink final : public gantry::sdk::EventSink {
 public:
  void emit(const gantry::v1::RunEvent& event) override { benchmark::DoNotOptimize(&event); }
  [[nodiscard]] bool cancelled() const override { return false; }
};

const std::filesystem::path kNoop =
    std::filesystem::path(GANTRY_TEST_PLUGIN_DIR) / "noop" / "test-noop.so";

gantry::v1::RunRequest noop_request() {
  gantry::v1::RunRequest request;
  request.set_run_id("bench");
  request.set_step_id("noop");
  request.set_working_directory("/tmp");
  return request;
}

void BM_InProcessDescribeAndRun(benchmark::State& state) {
  const auto endpoint = gantry::host::InProcessEndpoint::load(kNoop);
  DiscardingSink sink;
  const auto request = noop_request();
  for (auto _ : state) {
    auto description = endpoint->describe();
    benchmark::DoNotOptimize(description);
    auto result = endpoint->run(request, sink);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_InProcessDescribeAndRun)->Unit(benchmark::kMicrosecond);

void BM_InProcessRun(benchmark::State& state) {
  const auto endpoint = gantry::host::InProcessEndpoint::load(kNoop);
  DiscardingSink sink;
  const auto request = noop_request();
  for (auto _ : state) {
    auto result = endpoint->run(request, sink);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_InProcessRun)->Unit(benchmark::kMicrosecond);

/// `gantry plugin-serve` on the no-op library, started once, as `isolation: process` does.
std::unique_ptr<gantry::host::ProcessEndpoint> served_noop() {
  return gantry::host::ProcessEndpoint::start({kNoop,
                                               GANTRY_EXECUTABLE,
                                               {GANTRY_EXECUTABLE, "plugin-serve", kNoop.string()},
                                               gantry::host::StepTransport::kProcess},
                                              {});
}

void BM_ProcessRun(benchmark::State& state) {
  const auto endpoint = served_noop();
  DiscardingSink sink;
  const auto request = noop_request();
  for (auto _ : state) {
    auto result = endpoint->run(request, sink);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_ProcessRun)->Unit(benchmark::kMicrosecond);

void BM_ProcessDescribeAndRun(benchmark::State& state) {
  const auto endpoint = served_noop();
  DiscardingSink sink;
  const auto request = noop_request();
  for (auto _ : state) {
    auto description = endpoint->describe();
    benchmark::DoNotOptimize(description);
    auto result = endpoint->run(request, sink);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_ProcessDescribeAndRun)->Unit(benchmark::kMicrosecond);

/// `gantry serve` with the no-op step on loopback TCP, for the life of the benchmark.
class NoopRunner {
 public:
  NoopRunner() {
    auto environment = gantry::sdk::environment_map();
    environment["GANTRY_PLUGIN_PATH"] = kNoop.parent_path().string();
    child_ = std::make_unique<gantry::sdk::ChildProcess>(
        gantry::sdk::ChildSpec{GANTRY_EXECUTABLE,
                               {GANTRY_EXECUTABLE, "serve", "--listen", "127.0.0.1:0", "--workdir",
                                (work_.path() / "runs").string()},
                               gantry::sdk::environment_strings(environment),
                               work_.path()});
    waiter_ = std::thread([this] {
      child_->wait(
          [this](gantry::sdk::OutputStream, std::string_view line) {
            const std::lock_guard lock(mutex_);
            if (line.starts_with("listening on ")) {
              address_ = std::string(line.substr(13));
              announced_.notify_all();
            }
          },
          [this] { return stop_.load(); });
    });
  }
  ~NoopRunner() {
    stop_ = true;
    waiter_.join();
  }
  std::string address() {
    std::unique_lock lock(mutex_);
    announced_.wait_for(lock, std::chrono::seconds(20), [this] { return !address_.empty(); });
    return address_;
  }
  [[nodiscard]] const std::filesystem::path& project() const { return work_.path(); }

 private:
  gantry::sdk::TemporaryDirectory work_{"gantry-bench-runner-"};
  std::unique_ptr<gantry::sdk::ChildProcess> child_;
  std::thread waiter_;
  std::mutex mutex_;
  std::condition_variable announced_;
  std::string address_;
  std::atomic<bool> stop_{false};
};

void BM_RemoteRun(benchmark::State& state) {
  NoopRunner runner;
  const gantry::sdk::TemporaryDirectory project("gantry-bench-project-");
  gantry::host::RemoteStepEndpoint endpoint({runner.address(), {}, {}, {}, {}}, "noop");
  DiscardingSink sink;
  auto request = noop_request();
  request.set_working_directory(project.path().string());
  for (auto _ : state) {
    auto result = endpoint.run(request, sink);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_RemoteRun)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
