#pragma once

// The conformance suite every step plugin passes. Include this header in exactly one
// test source of a GoogleTest binary and instantiate it:
//
//   GANTRY_STEP_CONFORMANCE(Exec, {.label = "exec",
//                                  .factory = [] { return std::make_unique<ExecStep>(); },
//                                  .example_params = {{"command", string_value("true")}}});

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>

#include "gantry/sdk/description.hpp"
#include "gantry/sdk/fake_context.hpp"
#include "gantry/sdk/step.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::sdk::testing {

/// One step under test: how to make it, and parameters with which it runs quickly.
struct ConformanceCase {
  std::string label;
  std::function<std::unique_ptr<Step>()> factory;
  std::map<std::string, v1::Value> example_params;
};

class StepConformanceTest : public ::testing::TestWithParam<ConformanceCase> {
 protected:
  [[nodiscard]] std::unique_ptr<Step> make() const { return GetParam().factory(); }

  /// Runs on another thread so that a step that hangs fails the test instead of the run.
  static v1::Result run_bounded(Step& step, FakeContext& fake) {
    auto future = std::async(std::launch::async, [&] { return fake.run(step); });
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      ADD_FAILURE() << "the step did not end within 60 s";
      fake.cancel();
    }
    return future.get();
  }

  static void expect_one_result_last(const FakeContext& fake) {
    const auto events = fake.events();
    ASSERT_FALSE(events.empty());
    int results = 0;
    for (const auto& event : events) {
      results += event.has_result() ? 1 : 0;
    }
    EXPECT_EQ(results, 1) << "a run ends with exactly one Result event";
    EXPECT_TRUE(events.back().has_result()) << "the Result is the last event";
  }
};

inline const std::regex& step_name_pattern() {
  static const std::regex pattern("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
  return pattern;
}

TEST_P(StepConformanceTest, DescriptionIsWellFormed) {
  const auto description = make()->describe();
  EXPECT_TRUE(std::regex_match(description.name(), step_name_pattern()))
      << "step name '" << description.name() << "' is lower-case words joined by '-'";
  EXPECT_TRUE(std::regex_match(description.version(), std::regex(R"(^\d+\.\d+\.\d+([-+].*)?$)")))
      << "version '" << description.version() << "' is semantic";
  EXPECT_EQ(description.protocol_version(), kProtocolVersion);
  EXPECT_FALSE(description.summary().empty());
  EXPECT_EQ(description.summary().find('\n'), std::string::npos) << "the summary is one line";

  std::set<std::string> names;
  for (const auto& param : description.params()) {
    EXPECT_TRUE(names.insert(param.name()).second) << "parameter '" << param.name() << "' twice";
    EXPECT_TRUE(std::regex_match(param.name(), step_name_pattern()))
        << "parameter name '" << param.name() << "' is lower-case words joined by '-'";
    EXPECT_NE(param.type(), v1::PARAM_TYPE_UNSPECIFIED) << param.name() << " has a type";
    EXPECT_FALSE(param.help().empty()) << param.name() << " has help";
    if (param.has_default_value()) {
      EXPECT_FALSE(param.required()) << param.name() << " is required yet has a default";
      EXPECT_TRUE(value_matches(param.default_value(), param.type()))
          << param.name() << "'s default is a " << type_name(param.type());
    }
    if (param.secret()) {
      EXPECT_EQ(param.type(), v1::PARAM_TYPE_STRING) << "secret " << param.name() << " is a string";
    }
  }
  std::set<std::string> outputs;
  for (const auto& output : description.outputs()) {
    EXPECT_TRUE(outputs.insert(output.name()).second) << "output '" << output.name() << "' twice";
    EXPECT_TRUE(std::regex_match(output.name(), step_name_pattern())) << output.name();
  }
}

TEST_P(StepConformanceTest, DescribeIsStable) {
  EXPECT_EQ(make()->describe().SerializeAsString(), make()->describe().SerializeAsString());
}

TEST_P(StepConformanceTest, UnknownParameterFailsWithDiagnosticNamingIt) {
  auto step = make();
  FakeContext fake;
  for (const auto& [name, value] : GetParam().example_params) {
    fake.set(name, value);
  }
  fake.set("no-such-parameter", string_value("x"));
  const auto result = run_bounded(*step, fake);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  bool named = false;
  for (const auto& diagnostic : fake.diagnostics()) {
    named = named || diagnostic.param() == "no-such-parameter";
  }
  EXPECT_TRUE(named) << "a diagnostic names the unknown parameter";
  expect_one_result_last(fake);
}

TEST_P(StepConformanceTest, MissingRequiredParameterFailsWithDiagnostic) {
  auto step = make();
  const auto description = step->describe();
  for (const auto& param : description.params()) {
    if (!param.required()) {
      continue;
    }
    FakeContext fake;
    for (const auto& [name, value] : GetParam().example_params) {
      if (name != param.name()) {
        fake.set(name, value);
      }
    }
    const auto result = run_bounded(*step, fake);
    EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED) << "without " << param.name();
    expect_one_result_last(fake);
  }
}

TEST_P(StepConformanceTest, ExampleRunEndsWithOneResultAndPromisedOutputs) {
  auto step = make();
  const auto description = step->describe();
  FakeContext fake;
  for (const auto& [name, value] : GetParam().example_params) {
    fake.set(name, value);
  }
  const auto result = run_bounded(*step, fake);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_OK) << result.message();
  expect_one_result_last(fake);
  for (const auto& [name, value] : result.outputs()) {
    bool promised = false;
    for (const auto& output : description.outputs()) {
      promised = promised || output.name() == name;
    }
    EXPECT_TRUE(promised) << "output '" << name << "' is promised in the description";
  }
}

TEST_P(StepConformanceTest, RunCancelledBeforeStartEndsWithOneResult) {
  auto step = make();
  FakeContext fake;
  for (const auto& [name, value] : GetParam().example_params) {
    fake.set(name, value);
  }
  fake.cancel();
  (void)run_bounded(*step, fake);
  expect_one_result_last(fake);
}

}  // namespace gantry::sdk::testing

#define GANTRY_STEP_CONFORMANCE(Label, ...)                                           \
  INSTANTIATE_TEST_SUITE_P(Label, ::gantry::sdk::testing::StepConformanceTest,        \
                           ::testing::Values(::gantry::sdk::testing::ConformanceCase{ \
                               __VA_ARGS__}),                                         \
                           [](const auto& info) { return std::string(#Label); })
