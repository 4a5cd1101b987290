// The cost of one in-process step call through the plugin ABI: Describe + Run of a
// no-op step, with the serialization of every message both ways.
// Target (issue 2): under 20 microseconds per call.
#include <benchmark/benchmark.h>

#include "gantry/sdk/event_sink.hpp"
#include "plugins/in_process_endpoint.hpp"

namespace {

class DiscardingSink final : public gantry::sdk::EventSink {
 public:
  void emit(const gantry::v1::RunEvent& event) override { benchmark::DoNotOptimize(&event); }
  [[nodiscard]] bool cancelled() const override { return false; }
};

const std::filesystem::path kNoop =
    std::filesystem::path(GANTRY_TEST_PLUGIN_DIR) / "noop" / "test-noop.so";

void BM_DescribeAndRunNoopStep(benchmark::State& state) {
  const auto endpoint = gantry::host::InProcessEndpoint::load(kNoop);
  DiscardingSink sink;
  gantry::v1::RunRequest request;
  request.set_run_id("bench");
  request.set_step_id("noop");
  request.set_working_directory("/tmp");
  for (auto _ : state) {
    auto description = endpoint->describe();
    benchmark::DoNotOptimize(description);
    auto result = endpoint->run(request, sink);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_DescribeAndRunNoopStep)->Unit(benchmark::kMicrosecond);

void BM_RunNoopStep(benchmark::State& state) {
  const auto endpoint = gantry::host::InProcessEndpoint::load(kNoop);
  DiscardingSink sink;
  const gantry::v1::RunRequest request;
  for (auto _ : state) {
    auto result = endpoint->run(request, sink);
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_RunNoopStep)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
