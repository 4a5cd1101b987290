// The cost of one call to a no-op step through each transport, in one run:
//   in process    the plugin ABI: Describe + Run, every message serialized both ways
//                 (target < 20 µs per call);
//   process       `isolation: process`: the Step service over a unix socket to
//                 `gantry plugin-serve` (target <= 1 ms per call).
// Describe through a process is one unary call; its Run is a server stream of two events.
#include <benchmark/benchmark.h>

#include "gantry/sdk/event_sink.hpp"
#include "plugins/in_process_endpoint.hpp"
#include "transport/process_endpoint.hpp"

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

}  // namespace

BENCHMARK_MAIN();
