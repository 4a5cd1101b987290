#include "gantry/sdk/fake_context.hpp"

#include "gantry/sdk/step_runner.hpp"

namespace gantry::sdk {

FakeContext::FakeContext() {
  request_.set_run_id("fake-run");
  request_.set_step_id("fake-step");
  request_.set_working_directory(std::filesystem::current_path().string());
}

FakeContext& FakeContext::set(const std::string& name, v1::Value value) {
  (*request_.mutable_params())[name] = std::move(value);
  return *this;
}

FakeContext& FakeContext::working_directory(const std::filesystem::path& dir) {
  request_.set_working_directory(dir.string());
  return *this;
}

v1::Result FakeContext::run(Step& step) {
  {
    const std::lock_guard lock(mutex_);
    events_.clear();
  }
  return run_step(step, request_, *this);
}

void FakeContext::emit(const v1::RunEvent& event) {
  const std::lock_guard lock(mutex_);
  events_.push_back(event);
}

std::vector<v1::RunEvent> FakeContext::events() const {
  const std::lock_guard lock(mutex_);
  return events_;
}

std::vector<std::string> FakeContext::log_messages() const {
  std::vector<std::string> messages;
  for (const auto& event : events()) {
    if (event.has_log()) {
      messages.push_back(event.log().message());
    }
  }
  return messages;
}

std::vector<v1::Diagnostic> FakeContext::diagnostics() const {
  std::vector<v1::Diagnostic> found;
  for (const auto& event : events()) {
    if (event.has_diagnostic()) {
      found.push_back(event.diagnostic());
    }
  }
  return found;
}

std::vector<v1::Artifact> FakeContext::artifacts() const {
  std::vector<v1::Artifact> found;
  for (const auto& event : events()) {
    if (event.has_artifact()) {
      found.push_back(event.artifact());
    }
  }
  return found;
}

}  // namespace gantry::sdk
