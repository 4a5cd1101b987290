// The step protocol's promises, kept by every bundled step through every transport: the
// real installed library loaded in process, and the same library under `isolation:
// process` (gantry plugin-serve). The SDK's conformance suite checks the steps' own code
// through FakeContext; this checks what carries the calls.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "command.hpp"
#include "eventually.hpp"
#include "gantry/sdk/event_sink.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/value.hpp"
#include "plugins/in_process_endpoint.hpp"
#include "transport/process_endpoint.hpp"
#include "transport/remote_step_endpoint.hpp"

namespace gantry::testing {
namespace {

using namespace std::chrono_literals;

const std::filesystem::path kStage = GANTRY_STAGE_DIR;
const std::filesystem::path kTestPlugins = GANTRY_TEST_PLUGIN_DIR;

/// Keeps a run's events; cancelled when told to.
class RecordingSink final : public sdk::EventSink {
 public:
  void emit(const v1::RunEvent& event) override {
    const std::lock_guard lock(mutex_);
    events_.push_back(event);
  }
  [[nodiscard]] bool cancelled() const override { return cancelled_; }
  void cancel() { cancelled_ = true; }

  [[nodiscard]] std::vector<v1::RunEvent> events() const {
    const std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<v1::RunEvent> events_;
  std::atomic<bool> cancelled_{false};
};

void expect_one_result_last(const RecordingSink& sink, const v1::Result& returned) {
  const auto events = sink.events();
  ASSERT_FALSE(events.empty());
  int results = 0;
  for (const auto& event : events) {
    results += event.has_result() ? 1 : 0;
  }
  EXPECT_EQ(results, 1) << "a run ends with exactly one Result event";
  ASSERT_TRUE(events.back().has_result()) << "the Result is the last event";
  EXPECT_EQ(events.back().result().SerializeAsString(), returned.SerializeAsString())
      << "run() returns the Result it streamed";
}

enum class Transport { kInProcess, kProcess, kRemote };

struct TransportCase {
  std::filesystem::path library;
  Transport transport;
};

const char* transport_label(Transport transport) {
  switch (transport) {
    case Transport::kInProcess:
      return "in_process";
    case Transport::kProcess:
      return "process";
    case Transport::kRemote:
      return "remote";
  }
  return "unknown";
}

/// `gantry serve` with the installed steps on a unix socket, for the whole test binary.
class BundledRunner {
 public:
  static const std::string& address() {
    static BundledRunner runner;
    return runner.address_;
  }

 private:
  BundledRunner() {
    const std::string gantry = (kStage / "bin" / "gantry").string();
    address_ = "unix:" + (dir_.path() / "runner.sock").string();
    process_ = std::make_unique<BackgroundCommand>(
        CommandSpec{.argv = {gantry, "serve", "--listen", address_, "--workdir",
                             (dir_.path() / "work").string()},
                    .unset_env = {"GANTRY_PLUGIN_PATH", "GANTRY_TOKEN"}});
    eventually(
        [this] {
          return read_file(process_->out_file()).find("listening on") != std::string::npos;
        },
        std::chrono::seconds(20));
  }
  ~BundledRunner() {
    process_->signal(SIGTERM);
    process_->wait();
  }

  sdk::TemporaryDirectory dir_{"gantry-conformance-runner-"};
  std::string address_;
  std::unique_ptr<BackgroundCommand> process_;
};

void PrintTo(const TransportCase& given, std::ostream* out) {  // NOLINT: gtest's name
  *out << given.library.filename().string() << " " << transport_label(given.transport);
}

std::string case_name(const ::testing::TestParamInfo<TransportCase>& info) {
  std::string name =
      info.param.library.stem().string() + "_" + transport_label(info.param.transport);
  for (auto& c : name) {
    c = std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  }
  return name;
}

std::unique_ptr<host::StepEndpoint> endpoint_for(const TransportCase& given) {
  if (given.transport == Transport::kInProcess) {
    return host::InProcessEndpoint::load(given.library);
  }
  if (given.transport == Transport::kRemote) {
    const auto name = host::InProcessEndpoint::load(given.library)->description().name();
    return std::make_unique<host::RemoteStepEndpoint>(
        host::RemoteOptions{BundledRunner::address(), {}, {}, {}, {}}, name);
  }
  const std::string gantry = (kStage / "bin" / "gantry").string();
  return host::ProcessEndpoint::start({given.library,
                                       gantry,
                                       {gantry, "plugin-serve", given.library.string()},
                                       host::StepTransport::kProcess},
                                      {});
}

/// The bundled steps, named here rather than found: test discovery runs this binary
/// before the install tree exists. EveryBundledStepIsChecked keeps the list complete.
const std::vector<std::string> kBundledSteps = {"charm-pack",   "deb-stage", "exec",
                                                "juju-refresh", "oci-push",  "rock-pack"};

std::filesystem::path bundled_library(const std::string& step) {
  return kStage / "lib" / "gantry" / "plugins" / ("gantry-step-" + step + ".so");
}

std::vector<TransportCase> every_bundled_step() {
  std::vector<TransportCase> cases;
  for (const auto& step : kBundledSteps) {
    for (const auto transport : {Transport::kInProcess, Transport::kProcess, Transport::kRemote}) {
      cases.push_back({bundled_library(step), transport});
    }
  }
  return cases;
}

TEST(TransportConformanceList, EveryBundledStepIsChecked) {
  std::vector<std::string> installed;
  for (const auto& entry :
       std::filesystem::directory_iterator(kStage / "lib" / "gantry" / "plugins")) {
    installed.push_back(entry.path().filename().string());
  }
  std::sort(installed.begin(), installed.end());
  std::vector<std::string> listed;
  for (const auto& step : kBundledSteps) {
    listed.push_back(bundled_library(step).filename().string());
  }
  EXPECT_EQ(installed, listed);
}

class TransportConformance : public ::testing::TestWithParam<TransportCase> {
 protected:
  void SetUp() override { endpoint_ = endpoint_for(GetParam()); }

  v1::RunRequest request(std::map<std::string, v1::Value> params = {}) const {
    v1::RunRequest made;
    made.set_run_id("conformance");
    made.set_step_id(endpoint_->description().name());
    made.set_working_directory(scratch_.path().string());
    for (auto& [name, value] : params) {
      (*made.mutable_params())[name] = value;
    }
    return made;
  }

  std::unique_ptr<host::StepEndpoint> endpoint_;
  sdk::TemporaryDirectory scratch_{"gantry-conformance-"};
};

TEST_P(TransportConformance, TheDescriptionIsTheLibrarysOwn) {
  const auto own = host::InProcessEndpoint::load(GetParam().library)->describe();
  EXPECT_EQ(endpoint_->description().SerializeAsString(), own.SerializeAsString());
  if (auto* process = dynamic_cast<host::ProcessEndpoint*>(endpoint_.get())) {
    EXPECT_EQ(process->describe().SerializeAsString(), own.SerializeAsString())
        << "the Describe call answers what the library says";
  }
}

TEST_P(TransportConformance, AnUnknownParameterFailsWithADiagnosticNamingIt) {
  RecordingSink sink;
  const auto result =
      endpoint_->run(request({{"no-such-parameter", sdk::string_value("x")}}), sink);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  bool named = false;
  for (const auto& event : sink.events()) {
    named = named || (event.has_diagnostic() && event.diagnostic().param() == "no-such-parameter");
  }
  EXPECT_TRUE(named);
  expect_one_result_last(sink, result);
}

TEST_P(TransportConformance, MissingRequiredParametersFailWithDiagnostics) {
  bool any_required = false;
  for (const auto& param : endpoint_->description().params()) {
    any_required = any_required || param.required();
  }
  RecordingSink sink;
  const auto result = endpoint_->run(request(), sink);
  if (any_required) {
    EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  }
  expect_one_result_last(sink, result);
}

TEST_P(TransportConformance, ARunCancelledBeforeItStartsEndsCancelled) {
  RecordingSink sink;
  sink.cancel();
  const auto result = endpoint_->run(request(), sink);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_CANCELLED) << result.message();
  expect_one_result_last(sink, result);
}

INSTANTIATE_TEST_SUITE_P(BundledSteps, TransportConformance,
                         ::testing::ValuesIn(every_bundled_step()), case_name);

std::string transport_name(const ::testing::TestParamInfo<Transport>& info) {
  return transport_label(info.param);
}

/// A run cancelled while it runs ends cancelled, promptly, through each transport.
class CancelledMidRun : public ::testing::TestWithParam<Transport> {};

TEST_P(CancelledMidRun, EndsCancelledWithinASecond) {
  const auto endpoint = endpoint_for({kTestPlugins / "sleeper" / "test-sleeper.so", GetParam()});
  RecordingSink sink;
  v1::RunRequest request;
  (*request.mutable_params())["ms"] = sdk::int_value(60000);
  std::thread canceller([&sink] {
    std::this_thread::sleep_for(200ms);
    sink.cancel();
  });
  const auto started = std::chrono::steady_clock::now();
  const auto result = endpoint->run(request, sink);
  canceller.join();
  EXPECT_EQ(result.outcome(), v1::OUTCOME_CANCELLED);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1200ms);
  expect_one_result_last(sink, result);
}

INSTANTIATE_TEST_SUITE_P(Transports, CancelledMidRun,
                         ::testing::Values(Transport::kInProcess, Transport::kProcess),
                         transport_name);

}  // namespace
}  // namespace gantry::testing
