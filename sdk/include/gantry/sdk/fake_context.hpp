#pragma once

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "gantry/sdk/event_sink.hpp"
#include "gantry/sdk/step.hpp"
#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// A stand-in host for a plugin's unit tests: give parameters, run the step exactly as
/// the host would (checks, defaults, exceptions to results), then read what it emitted.
///
///   FakeContext fake;
///   fake.set("command", string_value("true"));
///   EXPECT_EQ(fake.run(step).outcome(), v1::OUTCOME_OK);
class FakeContext final : public EventSink {
 public:
  FakeContext();

  /// Sets a parameter value for the next run.
  FakeContext& set(const std::string& name, v1::Value value);
  /// Sets the working directory (default: the current directory).
  FakeContext& working_directory(const std::filesystem::path& dir);
  /// Requests cancellation; a run in progress sees cancelled() become true.
  void cancel() { cancelled_ = true; }

  /// Runs `step` and returns its result; events are kept until the next run.
  v1::Result run(Step& step);

  /// Everything the last run emitted, the Result last.
  [[nodiscard]] std::vector<v1::RunEvent> events() const;
  /// The messages of the log lines, in order.
  [[nodiscard]] std::vector<std::string> log_messages() const;
  [[nodiscard]] std::vector<v1::Diagnostic> diagnostics() const;
  [[nodiscard]] std::vector<v1::Artifact> artifacts() const;

  void emit(const v1::RunEvent& event) override;
  [[nodiscard]] bool cancelled() const override { return cancelled_; }

 private:
  v1::RunRequest request_;
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mutex_;
  std::vector<v1::RunEvent> events_;
};

}  // namespace gantry::sdk
