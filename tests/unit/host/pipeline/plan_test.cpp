#include "pipeline/plan.hpp"

#include <gtest/gtest.h>

#include "fake_endpoint.hpp"
#include "gantry/sdk/description.hpp"
#include "gantry/sdk/promised_outputs.hpp"
#include "gantry/sdk/value.hpp"
#include "pipeline/invalid_pipeline.hpp"
#include "pipeline/pipeline_parser.hpp"
#include "plugins/step_registry.hpp"

namespace gantry::host {
namespace {

using testing::FakeEndpoint;

class PlanTest : public ::testing::Test {
 protected:
  PlanTest() {
    registry_.add(std::make_unique<FakeEndpoint>(
        sdk::Description("pack", "1.0.0", "Pack")
            .param({.name = "dir", .type = v1::PARAM_TYPE_PATH, .required = true, .help = "d"})
            .param({.name = "jobs", .type = v1::PARAM_TYPE_INT, .help = "j"})
            .param({.name = "verbose", .type = v1::PARAM_TYPE_BOOL, .help = "v"})
            .param({.name = "tags", .type = v1::PARAM_TYPE_LIST, .help = "t"})
            .param({.name = "labels", .type = v1::PARAM_TYPE_MAP, .help = "l"})
            .param({.name = "workers", .type = v1::PARAM_TYPE_INT, .minimum = 1, .maximum = 8})
            .param({.name = "mode", .type = v1::PARAM_TYPE_STRING, .choices = {"fast", "safe"}})
            .output("version", "v")
            .proto(),
        [](sdk::Context&) {}));
    registry_.add(std::make_unique<FakeEndpoint>(
        sdk::Description("shell", "1.0.0", "Shell")
            .param({.name = "run", .type = v1::PARAM_TYPE_STRING, .required = true, .help = "r"})
            .param({.name = "outputs", .type = v1::PARAM_TYPE_LIST, .help = "o"})
            .capability(std::string(sdk::kOutputsFromParamCapability) + "outputs")
            .proto(),
        [](sdk::Context&) {}));
  }

  Plan plan(const std::string& text) {
    return plan_pipeline(parse_pipeline(text, "gantry.yaml"), registry_);
  }

  std::vector<std::string> problems_of(const std::string& text) {
    try {
      (void)plan(text);
    } catch (const InvalidPipeline& invalid) {
      std::vector<std::string> lines;
      for (const auto& problem : invalid.problems()) {
        lines.push_back(problem.to_string());
      }
      return lines;
    }
    ADD_FAILURE() << "the pipeline was accepted";
    return {};
  }

  StepRegistry registry_;
};

TEST_F(PlanTest, TypesEveryParameterFromItsDescription) {
  const auto result = plan(R"(steps:
  a:
    uses: pack
    with:
      dir: out
      jobs: 4
      verbose: true
      tags: [x, "1"]
      labels: {team: core}
)");
  ASSERT_EQ(result.steps.size(), 1U);
  const auto& params = result.steps[0].params;
  EXPECT_EQ(params.at("dir").string_value(), "out");
  EXPECT_EQ(params.at("jobs").int_value(), 4);
  EXPECT_TRUE(params.at("verbose").bool_value());
  EXPECT_EQ(params.at("tags").list_value().items(1), "1");
  EXPECT_EQ(params.at("labels").map_value().entries().at("team"), "core");
}

TEST_F(PlanTest, ReportsEveryParameterMistakeWithItsPosition) {
  EXPECT_EQ(problems_of(R"(steps:
  a:
    uses: pack
    with:
      jobs: many
      verbose: yes please
      tags: notalist
      labels: [a]
      colour: red
  b:
    uses: pakc
)"),
            (std::vector<std::string>{
                "gantry.yaml:2:3: step 'a' (pack) needs parameter 'dir'",
                "gantry.yaml:5:13: parameter 'jobs' of step 'a' (pack) must be a whole number, "
                "not 'many'",
                "gantry.yaml:6:16: parameter 'verbose' of step 'a' (pack) must be true or "
                "false, not 'yes please'",
                "gantry.yaml:7:13: parameter 'tags' of step 'a' (pack) must be a list, e.g. [a, "
                "b]",
                "gantry.yaml:8:15: parameter 'labels' of step 'a' (pack) must be a mapping of "
                "names to strings",
                "gantry.yaml:9:7: step 'a' (pack) has no parameter 'colour'",
                "gantry.yaml:11:11: unknown step 'pakc'",
            }));
}

TEST_F(PlanTest, OutputReferencesImplyDependenciesAndAreChecked) {
  const auto result = plan(R"(steps:
  deploy:
    uses: shell
    with:
      run: "deploy ${{ steps.build.outputs.version }} ${{ steps.meta.outputs.sha }}"
  build:
    uses: pack
    with: {dir: .}
  meta:
    uses: shell
    with: {run: git, outputs: [sha]}
)");
  ASSERT_EQ(result.steps.size(), 3U);
  EXPECT_EQ(result.steps[0].id, "build");
  EXPECT_EQ(result.steps[1].id, "meta");
  EXPECT_EQ(result.steps[2].id, "deploy");
  EXPECT_EQ(result.steps[2].needs, (std::set<std::string>{"build", "meta"}));
}

TEST_F(PlanTest, ReferencesToUnknownStepsOrUnpromisedOutputsAreMistakes) {
  EXPECT_EQ(problems_of(R"(steps:
  a:
    uses: pack
    with: {dir: .}
  b:
    uses: shell
    needs: [ghost]
    with:
      run: "${{ steps.a.outputs.digest }} ${{ steps.nobody.outputs.x }} ${{ steps.b.outputs.y }}"
  c:
    uses: shell
    with: {run: "${{ oops }}"}
)"),
            (std::vector<std::string>{
                "gantry.yaml:7:13: step 'b' needs unknown step 'ghost'",
                "gantry.yaml:9:12: step 'a' (pack) has no output 'digest'",
                "gantry.yaml:9:12: 'run' refers to unknown step 'nobody'",
                "gantry.yaml:9:12: 'run' refers to an output of its own step",
                "gantry.yaml:12:17: unsupported expression '${{ oops }}'",
            }));
}

TEST_F(PlanTest, CyclesAreReportedWithTheirPath) {
  EXPECT_EQ(problems_of(R"(steps:
  a:
    uses: shell
    needs: c
    with: {run: x}
  b:
    uses: shell
    with: {run: "${{ steps.a.outputs.o }}", outputs: [o]}
  c:
    uses: shell
    with: {run: "${{ steps.b.outputs.o }}", outputs: [o]}
)"),
            (std::vector<std::string>{
                "gantry.yaml:2:3: steps depend on each other in a cycle: a -> b -> c -> a",
                "gantry.yaml:8:17: step 'a' (shell) has no output 'o'",
            }));
}

TEST_F(PlanTest, IntParameterGivenAsAnExpressionIsTypedAfterSubstitution) {
  const auto result = plan(R"(steps:
  a:
    uses: shell
    with: {run: x, outputs: [n]}
  b:
    uses: pack
    with: {dir: ., jobs: "${{ steps.a.outputs.n }}"}
)");
  const auto& b = result.steps[1];
  EXPECT_EQ(b.resolve({{"a", {{"n", "8"}}}}).at("jobs").int_value(), 8);
  try {
    (void)b.resolve({{"a", {{"n", "eight"}}}});
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "parameter 'jobs' of step 'b': 'eight' is not a whole number");
  }
}

TEST_F(PlanTest, ResolveSubstitutesInsideListsAndMaps) {
  const auto result = plan(R"(steps:
  a:
    uses: shell
    with: {run: x, outputs: [v]}
  b:
    uses: pack
    with:
      dir: "out/${{ steps.a.outputs.v }}"
      tags: ["v${{ steps.a.outputs.v }}", latest]
      labels: {version: "${{ steps.a.outputs.v }}"}
)");
  const auto params = result.steps[1].resolve({{"a", {{"v", "0.2"}}}});
  EXPECT_EQ(params.at("dir").string_value(), "out/0.2");
  EXPECT_EQ(params.at("tags").list_value().items(0), "v0.2");
  EXPECT_EQ(params.at("labels").map_value().entries().at("version"), "0.2");
}

}  // namespace
}  // namespace gantry::host

namespace gantry::host {
namespace {

TEST_F(PlanTest, RangesAndChoicesAreCheckedBeforeAnythingRunsAtTheValue) {
  EXPECT_EQ(problems_of(R"(steps:
  a:
    uses: pack
    with: {dir: ., workers: 0, mode: reckless}
)"),
            (std::vector<std::string>{
                "gantry.yaml:4:29: parameter 'workers' of step 'a' (pack) is 0, but must be from "
                "1 to 8",
                "gantry.yaml:4:38: parameter 'mode' of step 'a' (pack) is 'reckless', but must be "
                "one of fast, safe",
            }));
}

TEST_F(PlanTest, TextThatIsNotUtf8IsAConfigurationErrorAtItsPosition) {
  // Raw bytes in the file, as a file name in Latin-1 would be.
  EXPECT_EQ(problems_of("steps:\n  a:\n    uses: pack\n    with:\n      dir: caf\xE9\n"
                        "      tags: [ok, \xFF]\n      labels: {k: \xC3}\n"),
            (std::vector<std::string>{
                "gantry.yaml:5:12: parameter 'dir' of step 'a' (pack) is not valid UTF-8 text",
                "gantry.yaml:6:13: parameter 'tags' of step 'a' (pack) is not valid UTF-8 text",
                "gantry.yaml:7:15: parameter 'labels' of step 'a' (pack) is not valid UTF-8 text",
            }));
}

}  // namespace
}  // namespace gantry::host
