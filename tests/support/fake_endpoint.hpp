#pragma once

#include <functional>
#include <memory>
#include <string>

#include "gantry/sdk/step.hpp"
#include "plugins/step_endpoint.hpp"

namespace gantry::testing {

/// A step made of a description and a lambda, for tests of the host's logic.
class LambdaStep final : public sdk::Step {
 public:
  using Body = std::function<void(sdk::Context&)>;
  LambdaStep(v1::StepDescription description, Body body)
      : description_(std::move(description)), body_(std::move(body)) {}

  [[nodiscard]] v1::StepDescription describe() const override { return description_; }
  void run(sdk::Context& context) override { body_(context); }

 private:
  v1::StepDescription description_;
  Body body_;
};

/// An endpoint that runs a Step in memory, through the SDK's run_step like every
/// transport, but without a library: the host's seam, faked as ninja fakes its disk.
class FakeEndpoint final : public host::StepEndpoint {
 public:
  explicit FakeEndpoint(std::unique_ptr<sdk::Step> step)
      : step_(std::move(step)), description_(step_->describe()) {}
  FakeEndpoint(const v1::StepDescription& description, LambdaStep::Body body)
      : FakeEndpoint(std::make_unique<LambdaStep>(description, std::move(body))) {}

  [[nodiscard]] const v1::StepDescription& description() const override { return description_; }
  [[nodiscard]] std::string origin() const override { return "memory:" + description_.name(); }
  [[nodiscard]] host::StepTransport transport() const override {
    return host::StepTransport::kInProcess;
  }
  v1::Result run(const v1::RunRequest& request, sdk::EventSink& sink) override;

 private:
  std::unique_ptr<sdk::Step> step_;
  v1::StepDescription description_;
};

}  // namespace gantry::testing
