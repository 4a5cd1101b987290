#include "gantry/sdk/step_runner.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <system_error>

#include "fake_endpoint.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/fake_context.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::sdk {
namespace {

using testing::LambdaStep;

v1::StepDescription greeter() {
  return Description("greeter", "1.0.0", "Greets")
      .param({.name = "name", .type = v1::PARAM_TYPE_STRING, .required = true, .help = "n"})
      .param(
          {.name = "times", .type = v1::PARAM_TYPE_INT, .default_value = int_value(2), .help = "t"})
      .output("greeting", "g");
}

TEST(StepRunnerTest, AppliesDefaultsAndReturnsOutputsInTheResult) {
  LambdaStep step(greeter(), [](Context& context) {
    EXPECT_EQ(context.integer("times"), 2);
    context.output("greeting", "hi " + context.string("name"));
  });
  FakeContext fake;
  fake.set("name", string_value("ada"));
  const auto result = fake.run(step);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_OK);
  EXPECT_EQ(result.outputs().at("greeting"), "hi ada");
  EXPECT_TRUE(fake.events().back().has_result());
}

TEST(StepRunnerTest, MissingRequiredParameterFailsBeforeRunWithADiagnostic) {
  bool ran = false;
  LambdaStep step(greeter(), [&](Context&) { ran = true; });
  FakeContext fake;
  const auto result = fake.run(step);
  EXPECT_FALSE(ran);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  EXPECT_EQ(result.message(), "invalid parameters for step 'greeter'");
  ASSERT_EQ(fake.diagnostics().size(), 1U);
  EXPECT_EQ(fake.diagnostics()[0].summary(), "step 'greeter' needs parameter 'name'");
  EXPECT_EQ(fake.diagnostics()[0].param(), "name");
}

TEST(StepRunnerTest, WrongTypeAndUnknownParametersAreEachReported) {
  LambdaStep step(greeter(), [](Context&) {});
  FakeContext fake;
  fake.set("name", int_value(3)).set("colour", string_value("red"));
  EXPECT_EQ(fake.run(step).outcome(), v1::OUTCOME_FAILED);
  const auto diagnostics = fake.diagnostics();
  ASSERT_EQ(diagnostics.size(), 2U);
  EXPECT_EQ(diagnostics[0].summary(), "parameter 'name' of step 'greeter' must be a string");
  EXPECT_EQ(diagnostics[1].summary(), "step 'greeter' has no parameter 'colour'");
}

TEST(StepRunnerTest, GantryErrorBecomesAFailedResultWithItsResolution) {
  LambdaStep step(greeter(), [](Context&) { throw Error("no network", "Plug the cable in."); });
  FakeContext fake;
  fake.set("name", string_value("x"));
  const auto result = fake.run(step);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  EXPECT_EQ(result.message(), "no network");
  EXPECT_EQ(result.resolution(), "Plug the cable in.");
}

TEST(StepRunnerTest, OtherExceptionsAreInternalErrorsNamingTheStep) {
  LambdaStep step(greeter(), [](Context&) { throw std::logic_error("oops"); });
  FakeContext fake;
  fake.set("name", string_value("x"));
  EXPECT_EQ(fake.run(step).message(), "internal error in step 'greeter': oops");
}

TEST(StepRunnerTest, AFileSystemErrorIsTheMachinesNotAnInternalError) {
  LambdaStep step(greeter(), [](Context&) {
    throw std::filesystem::filesystem_error("cannot create directories", "/full/disk",
                                            std::make_error_code(std::errc::no_space_on_device));
  });
  FakeContext fake;
  fake.set("name", string_value("ada"));
  const auto result = fake.run(step);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  EXPECT_EQ(result.message().find("internal error"), std::string::npos) << result.message();
  EXPECT_NE(result.message().find("/full/disk"), std::string::npos) << result.message();
  EXPECT_EQ(result.resolution(), "Free some disk space, or write elsewhere.");
}

TEST(StepRunnerTest, AFileSystemErrorWithNothingToDoStaysTheStepsInternalError) {
  LambdaStep step(greeter(), [](Context&) {
    throw std::filesystem::filesystem_error(
        "cannot open", "/no/such/file", std::make_error_code(std::errc::no_such_file_or_directory));
  });
  FakeContext fake;
  fake.set("name", string_value("ada"));
  const auto result = fake.run(step);
  EXPECT_EQ(result.message().rfind("internal error in step 'greeter': ", 0), 0U)
      << result.message();
  EXPECT_EQ(result.resolution(), "Report this to the step's authors.");
}

TEST(StepRunnerTest, NonExceptionThrowIsStillOneFailedResult) {
  LambdaStep step(greeter(), [](Context&) { throw 42; });
  FakeContext fake;
  fake.set("name", string_value("x"));
  EXPECT_EQ(fake.run(step).outcome(), v1::OUTCOME_FAILED);
  int results = 0;
  for (const auto& event : fake.events()) {
    results += event.has_result() ? 1 : 0;
  }
  EXPECT_EQ(results, 1);
}

TEST(StepRunnerTest, CancelledStepReportsCancelled) {
  LambdaStep step(greeter(), [](Context& context) { context.throw_if_cancelled(); });
  FakeContext fake;
  fake.set("name", string_value("x"));
  fake.cancel();
  EXPECT_EQ(fake.run(step).outcome(), v1::OUTCOME_CANCELLED);
}

TEST(StepRunnerTest, ConfigErrorBecomesADiagnosticWithItsPosition) {
  LambdaStep step(greeter(), [](Context&) {
    throw ConfigError({"rockcraft.yaml", 3, 5}, "unknown base 'ubuntu@99'", "Use ubuntu@22.04.");
  });
  FakeContext fake;
  fake.set("name", string_value("x"));
  EXPECT_EQ(fake.run(step).outcome(), v1::OUTCOME_FAILED);
  ASSERT_EQ(fake.diagnostics().size(), 1U);
  EXPECT_EQ(fake.diagnostics()[0].file(), "rockcraft.yaml");
  EXPECT_EQ(fake.diagnostics()[0].line(), 3U);
  EXPECT_EQ(fake.diagnostics()[0].column(), 5U);
}

TEST(StepRunnerTest, SecretsNeverReachTheFailureMessage) {
  auto description = greeter();
  auto* token = description.add_params();
  token->set_name("token");
  token->set_type(v1::PARAM_TYPE_STRING);
  token->set_secret(true);
  LambdaStep step(description, [](Context& context) {
    throw Error("login failed for token " + context.secret("token").reveal());
  });
  FakeContext fake;
  fake.set("name", string_value("x")).set("token", string_value("tok-123456"));
  EXPECT_EQ(fake.run(step).message(), "login failed for token ****");
}

}  // namespace
}  // namespace gantry::sdk

namespace gantry::sdk {
namespace {

v1::StepDescription bounded() {
  return Description("bounded", "1.0.0", "Has bounds")
      .param({.name = "jobs", .type = v1::PARAM_TYPE_INT, .minimum = 1, .maximum = 64})
      .param({.name = "floor", .type = v1::PARAM_TYPE_INT, .minimum = 0})
      .param({.name = "mode", .type = v1::PARAM_TYPE_STRING, .choices = {"fast", "safe"}})
      .param({.name = "labels", .type = v1::PARAM_TYPE_MAP});
}

std::vector<std::string> summaries(const std::vector<v1::Diagnostic>& problems) {
  std::vector<std::string> texts;
  for (const auto& problem : problems) {
    texts.push_back(problem.summary());
  }
  return texts;
}

TEST(StepRunnerTest, RangesAndChoicesArePartOfTheDescription) {
  const auto description = bounded();
  EXPECT_EQ(description.params(0).minimum(), 1);
  EXPECT_EQ(description.params(0).maximum(), 64);
  EXPECT_FALSE(description.params(1).has_maximum());
  EXPECT_EQ(description.params(2).choices_size(), 2);
}

TEST(StepRunnerTest, ValuesOutsideTheirRangeOrChoicesAreReportedBeforeRun) {
  google::protobuf::Map<std::string, v1::Value> params;
  params["jobs"] = int_value(0);
  params["floor"] = int_value(-1);
  params["mode"] = string_value("reckless");
  EXPECT_EQ(
      summaries(check_params(bounded(), params)),
      (std::vector<std::string>{
          "parameter 'jobs' of step 'bounded' is 0, but must be from 1 to 64",
          "parameter 'floor' of step 'bounded' is -1, but must be at least 0",
          "parameter 'mode' of step 'bounded' is 'reckless', but must be one of fast, safe"}));
  params["jobs"] = int_value(64);
  params["floor"] = int_value(0);
  params["mode"] = string_value("safe");
  EXPECT_TRUE(check_params(bounded(), params).empty());
}

TEST(StepRunnerTest, TextThatIsNotUtf8IsAParameterProblem) {
  google::protobuf::Map<std::string, v1::Value> params;
  params["labels"] = map_value({{"ok", "caf\xc3\xa9"}, {"bad", "\xff\xfe"}});
  EXPECT_EQ(
      summaries(check_params(bounded(), params)),
      (std::vector<std::string>{"parameter 'labels' of step 'bounded' is not valid UTF-8 text"}));
}

}  // namespace
}  // namespace gantry::sdk
