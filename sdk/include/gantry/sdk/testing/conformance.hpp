#pragma once

// The conformance suite every step plugin passes. Include this header in exactly one
// test source of a GoogleTest binary and instantiate it:
//
//   GANTRY_STEP_CONFORMANCE(Exec, .label = "exec",
//                           .factory = [] { return std::make_unique<ExecStep>(); },
//                           .example_params = {{"command", string_value("true")}});
//
// The suite lives in the global namespace because GoogleTest pastes the suite name
// into identifiers; its names all start with Gantry.

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
#include "gantry/sdk/promised_outputs.hpp"
#include "gantry/sdk/step.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::sdk::testing {

/// One step under test: how to make it, and parameters with which it runs quickly.
struct ConformanceCase {
  std::string label{};
  std::function<std::unique_ptr<Step>()> factory{};
  std::map<std::string, v1::Value> example_params{};
};

/// Shows a case by its label in test names and failure messages.
inline void PrintTo(const ConformanceCase& step_case, std::ostream* out) {  // NOLINT: gtest's name
  *out << step_case.label;
}

}  // namespace gantry::sdk::testing

class GantryStepConformance
    : public ::testing::TestWithParam<gantry::sdk::testing::ConformanceCase> {
 protected:
  [[nodiscard]] std::unique_ptr<gantry::sdk::Step> make() const { return GetParam().factory(); }

  /// A FakeContext holding the example parameters.
  [[nodiscard]] std::unique_ptr<gantry::sdk::FakeContext> example_context() const {
    auto fake = std::make_unique<gantry::sdk::FakeContext>();
    for (const auto& [name, value] : GetParam().example_params) {
      fake->set(name, value);
    }
    return fake;
  }

  /// Runs on another thread so that a step that hangs fails the test instead of the run.
  static gantry::v1::Result run_bounded(gantry::sdk::Step& step, gantry::sdk::FakeContext& fake) {
    auto future = std::async(std::launch::async, [&] { return fake.run(step); });
    if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
      ADD_FAILURE() << "the step did not end within 60 s";
      fake.cancel();
    }
    return future.get();
  }

  static void expect_one_result_last(const gantry::sdk::FakeContext& fake) {
    const auto events = fake.events();
    ASSERT_FALSE(events.empty());
    int results = 0;
    for (const auto& event : events) {
      results += event.has_result() ? 1 : 0;
    }
    EXPECT_EQ(results, 1) << "a run ends with exactly one Result event";
    EXPECT_TRUE(events.back().has_result()) << "the Result is the last event";
  }

  static bool is_name(const std::string& text) {
    static const std::regex pattern("^[a-z][a-z0-9]*(-[a-z0-9]+)*$");
    return std::regex_match(text, pattern);
  }
};

TEST_P(GantryStepConformance, DescriptionIsWellFormed) {
  const auto description = make()->describe();
  EXPECT_TRUE(is_name(description.name()))
      << "step name '" << description.name() << "' is lower-case words joined by '-'";
  EXPECT_TRUE(std::regex_match(description.version(), std::regex(R"(^\d+\.\d+\.\d+([-+].*)?$)")))
      << "version '" << description.version() << "' is semantic";
  EXPECT_EQ(description.protocol_version(), gantry::sdk::kProtocolVersion);
  EXPECT_FALSE(description.summary().empty());
  EXPECT_EQ(description.summary().find('\n'), std::string::npos) << "the summary is one line";

  std::set<std::string> names;
  for (const auto& param : description.params()) {
    EXPECT_TRUE(names.insert(param.name()).second) << "parameter '" << param.name() << "' twice";
    EXPECT_TRUE(is_name(param.name()))
        << "parameter name '" << param.name() << "' is lower-case words joined by '-'";
    EXPECT_NE(param.type(), gantry::v1::PARAM_TYPE_UNSPECIFIED) << param.name() << " has a type";
    EXPECT_FALSE(param.help().empty()) << param.name() << " has help";
    if (param.has_default_value()) {
      EXPECT_FALSE(param.required()) << param.name() << " is required yet has a default";
      EXPECT_TRUE(gantry::sdk::value_matches(param.default_value(), param.type()))
          << param.name() << "'s default is a " << gantry::sdk::type_name(param.type());
    }
    if (param.secret()) {
      EXPECT_TRUE(param.type() == gantry::v1::PARAM_TYPE_STRING ||
                  param.type() == gantry::v1::PARAM_TYPE_LIST ||
                  param.type() == gantry::v1::PARAM_TYPE_MAP)
          << "secret " << param.name() << " is a string, or a list or map of them";
    }
  }
  std::set<std::string> outputs;
  for (const auto& output : description.outputs()) {
    EXPECT_TRUE(outputs.insert(output.name()).second) << "output '" << output.name() << "' twice";
    EXPECT_TRUE(is_name(output.name())) << output.name();
  }
}

TEST_P(GantryStepConformance, DescribeIsStable) {
  EXPECT_EQ(make()->describe().SerializeAsString(), make()->describe().SerializeAsString());
}

TEST_P(GantryStepConformance, UnknownParameterFailsWithDiagnosticNamingIt) {
  auto step = make();
  auto fake = example_context();
  fake->set("no-such-parameter", gantry::sdk::string_value("x"));
  EXPECT_EQ(run_bounded(*step, *fake).outcome(), gantry::v1::OUTCOME_FAILED);
  bool named = false;
  for (const auto& diagnostic : fake->diagnostics()) {
    named = named || diagnostic.param() == "no-such-parameter";
  }
  EXPECT_TRUE(named) << "a diagnostic names the unknown parameter";
  expect_one_result_last(*fake);
}

TEST_P(GantryStepConformance, MissingRequiredParameterFailsWithDiagnostic) {
  auto step = make();
  const auto description = step->describe();
  for (const auto& param : description.params()) {
    if (!param.required()) {
      continue;
    }
    gantry::sdk::FakeContext fake;
    for (const auto& [name, value] : GetParam().example_params) {
      if (name != param.name()) {
        fake.set(name, value);
      }
    }
    EXPECT_EQ(run_bounded(*step, fake).outcome(), gantry::v1::OUTCOME_FAILED)
        << "without " << param.name();
    expect_one_result_last(fake);
  }
}

TEST_P(GantryStepConformance, ExampleRunEndsWithOneResultAndPromisedOutputs) {
  auto step = make();
  auto fake = example_context();
  const auto result = run_bounded(*step, *fake);
  EXPECT_EQ(result.outcome(), gantry::v1::OUTCOME_OK) << result.message();
  expect_one_result_last(*fake);
  google::protobuf::Map<std::string, gantry::v1::Value> params;
  for (const auto& [name, value] : GetParam().example_params) {
    params[name] = value;
  }
  const auto promised = gantry::sdk::promised_outputs(step->describe(), params);
  for (const auto& [name, value] : result.outputs()) {
    EXPECT_TRUE(promised.contains(name)) << "output '" << name << "' is promised";
  }
}

TEST_P(GantryStepConformance, RunCancelledBeforeStartEndsWithOneResult) {
  auto step = make();
  auto fake = example_context();
  fake->cancel();
  (void)run_bounded(*step, *fake);
  expect_one_result_last(*fake);
}

/// Runs the suite against one step; the arguments initialize a ConformanceCase.
#define GANTRY_STEP_CONFORMANCE(Label, ...) \
  INSTANTIATE_TEST_SUITE_P(                 \
      Label, GantryStepConformance,         \
      ::testing::Values(::gantry::sdk::testing::ConformanceCase{__VA_ARGS__}))
