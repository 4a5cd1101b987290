#include "pipeline/pipeline_parser.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include "pipeline/invalid_pipeline.hpp"

namespace gantry::host {
namespace {

std::vector<std::string> problems_of(const std::string& text) {
  try {
    (void)parse_pipeline(text, "gantry.yaml");
  } catch (const InvalidPipeline& invalid) {
    std::vector<std::string> lines;
    for (const auto& problem : invalid.problems()) {
      lines.push_back(problem.to_string());
    }
    return lines;
  }
  return {};
}

TEST(PipelineParserTest, ReadsStepsInFileOrderWithPositions) {
  const auto pipeline = parse_pipeline(R"(name: demo
steps:
  pack:
    uses: exec
    with:
      command: make
  push:
    uses: exec
    needs: pack
    with: {command: echo, args: [a, b]}
)",
                                       "gantry.yaml");
  EXPECT_EQ(pipeline.name, "demo");
  ASSERT_EQ(pipeline.steps.size(), 2U);
  EXPECT_EQ(pipeline.steps[0].id, "pack");
  EXPECT_EQ(pipeline.steps[0].position.to_string(), "gantry.yaml:3:3");
  EXPECT_EQ(pipeline.steps[0].uses_position.to_string(), "gantry.yaml:4:11");
  EXPECT_EQ(pipeline.steps[0].with.at(0).value_position.to_string(), "gantry.yaml:6:16");
  ASSERT_EQ(pipeline.steps[1].needs.size(), 1U);
  EXPECT_EQ(pipeline.steps[1].needs[0].id, "pack");
  EXPECT_EQ(pipeline.steps[1].with.size(), 2U);
}

TEST(PipelineParserTest, YamlSyntaxErrorsCarryTheirPosition) {
  const auto problems = problems_of("steps:\n  a: [unclosed\n");
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_TRUE(problems[0].starts_with("gantry.yaml:3:1: invalid YAML")) << problems[0];
}

TEST(PipelineParserTest, ReportsEveryStructuralMistakeAtOnce) {
  const auto problems = problems_of(R"(stepz: {}
steps:
  ok:
    uses: exec
    retries: 3
  bad id:
    uses: exec
  nouses:
    with: {}
)");
  EXPECT_EQ(problems, (std::vector<std::string>{
                          "gantry.yaml:1:1: unknown key 'stepz'",
                          "gantry.yaml:5:5: unknown key 'retries' in step 'ok'",
                          "gantry.yaml:6:3: step id 'bad id' is not a valid id",
                          "gantry.yaml:9:5: step 'nouses' has no `uses:`",
                      }));
}

TEST(PipelineParserTest, DuplicateStepIdsAndParametersAreMistakes) {
  const auto problems = problems_of(R"(steps:
  a:
    uses: exec
    with:
      command: x
      command: y
  a:
    uses: exec
)");
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_EQ(problems[0], "gantry.yaml:6:7: parameter 'command' is given twice");
  EXPECT_EQ(problems[1], "gantry.yaml:7:3: step id 'a' is used twice");
}

TEST(PipelineParserTest, AFileWithoutStepsSaysHowToStart) {
  EXPECT_EQ(problems_of("name: x\n"),
            (std::vector<std::string>{"gantry.yaml:1:1: the pipeline has no `steps:`"}));
  EXPECT_EQ(problems_of("- a\n"),
            (std::vector<std::string>{
                "gantry.yaml:1:1: a pipeline file is a mapping with a `steps:` key"}));
}

TEST(PipelineParserTest, MissingFileIsAnErrorNamingIt) {
  try {
    (void)parse_pipeline_file("/nonexistent/gantry.yaml");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "cannot read pipeline file /nonexistent/gantry.yaml");
  }
}

}  // namespace
}  // namespace gantry::host

namespace gantry::host {
namespace {

TEST(PipelineParserTest, AliasesMayNotExpandTheDocumentPastItsLimit) {
  // A 1 MB string anchored once and used 5000 times: 5 GB to whoever walks it.
  std::string text = "name: &big " + std::string(1 << 20, 'x') +
                     "\nsteps:\n  a:\n    uses: exec\n"
                     "    with:\n      args: [";
  for (int i = 0; i < 5000; ++i) {
    text += i == 0 ? "*big" : ", *big";
  }
  text += "]\n";
  const auto started = std::chrono::steady_clock::now();
  const auto problems = problems_of(text);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].find("invalid YAML: the document is larger than 16 MiB once its aliases "
                             "are expanded"),
            std::string::npos)
      << problems[0];
}

TEST(PipelineParserTest, NestedAliasesAreBoundedByTheirNodeCount) {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    const char below = static_cast<char>(level - 1);
    text += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i) {
      text += std::string(i == 0 ? "*" : ", *") + below;
    }
    text += "]\n";
  }
  const auto problems = problems_of(text);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_NE(problems[0].find("nodes once its aliases are expanded"), std::string::npos)
      << problems[0];
}

TEST(PipelineParserTest, ASecondDocumentIsAnErrorAtItsStart) {
  EXPECT_EQ(problems_of("steps:\n  a: {uses: exec}\n---\nsteps:\n  b: {uses: exec}\n"),
            (std::vector<std::string>{"gantry.yaml:4:1: invalid YAML: a second YAML document: "
                                      "the file holds one document"}));
}

TEST(PipelineParserTest, AKeyThatIsAMappingIsAProblemNotACrash) {
  EXPECT_EQ(problems_of("steps:\n  {a: b}: {uses: exec}\n"),
            (std::vector<std::string>{
                "gantry.yaml:2:3: a key here is a plain name, not a list or a mapping"}));
}

TEST(PipelineParserTest, APipelineFileThatIsADirectorySaysSo) {
  const auto dir = std::filesystem::temp_directory_path() / "gantry-pipeline-dir-test";
  std::filesystem::create_directories(dir);
  try {
    (void)parse_pipeline_file(dir);
    ADD_FAILURE() << "a directory was read as a pipeline";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.position().to_string(), dir.string());
    EXPECT_STREQ(error.what(), "the pipeline file is a directory");
    EXPECT_EQ(error.resolution(), "Give the pipeline file itself: `gantry run " +
                                      (dir / "gantry.yaml").string() + "`.");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gantry::host
