// The examples in docs/pipeline.md are real: every ```yaml block that starts with
// `# example` passes `gantry run --dry-run`, the first one runs, and the default pipeline
// shown is what `gantry run --print-pipeline` prints for examples/flask-app. The
// flask-framework example expands with both packing steps.
#include <gtest/gtest.h>

#include <sstream>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

/// The ```yaml blocks of `file` whose first line starts with "# example".
std::vector<std::string> examples(const fs::path& file) {
  std::vector<std::string> blocks;
  std::istringstream lines(read_file(file));
  std::string line, block;
  bool inside = false;
  while (std::getline(lines, line)) {
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      if (block.starts_with("# example")) {
        blocks.push_back(block);
      }
    } else if (inside) {
      block += line + "\n";
    }
  }
  return blocks;
}

CommandResult gantry(const fs::path& cwd, std::vector<std::string> args) {
  args.insert(args.begin(), {kGantry, "--output=plain"});
  return run_command({.argv = args,
                      .env = {{"PATH", "/usr/bin:/bin"}},
                      .unset_env = {"GANTRY_PLUGIN_PATH", "GANTRY_JUJU", "GANTRY_REGISTRY"},
                      .cwd = cwd});
}

TEST(DocsTest, ThePipelineExamplesAreValidAndTheFirstOneRuns) {
  const auto blocks = examples(fs::path(GANTRY_SOURCE_DIR) / "docs/pipeline.md");
  ASSERT_GE(blocks.size(), 2U);
  const sdk::TemporaryDirectory dir("gantry-docs-test-");
  for (const auto& block : blocks) {
    write_file(dir.path() / "gantry.yaml", block);
    const auto checked = gantry(dir.path(), {"run", "--dry-run"});
    EXPECT_EQ(checked.exit_code, 0) << block << checked.err;
    EXPECT_NE(checked.out.find("The pipeline is valid."), std::string::npos) << checked.out;
  }
  write_file(dir.path() / "gantry.yaml", blocks.front());
  const auto ran = gantry(dir.path(), {"run"});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_NE(ran.err.find("releasing v1.2"), std::string::npos) << ran.err;
}

TEST(DocsTest, TheDefaultPipelineShownIsTheOneGantryPrints) {
  const auto blocks = examples(fs::path(GANTRY_SOURCE_DIR) / "docs/pipeline.md");
  std::string shown;
  for (const auto& block : blocks) {
    if (block.find("name: default") != std::string::npos) {
      shown = block.substr(block.find('\n') + 1);  // without the `# example` line
    }
  }
  ASSERT_FALSE(shown.empty());
  const sdk::TemporaryDirectory dir("gantry-docs-test-");
  const fs::path project = dir.path() / "flask-app";
  fs::create_directories(project / "charm");
  fs::copy_file(fs::path(GANTRY_SOURCE_DIR) / "examples/flask-app/rockcraft.yaml",
                project / "rockcraft.yaml");
  fs::copy_file(fs::path(GANTRY_SOURCE_DIR) / "examples/flask-app/charm/charmcraft.yaml",
                project / "charm/charmcraft.yaml");
  const auto printed = gantry(project, {"run", "--print-pipeline"});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  // The printed file starts with comments about where it came from; the rest is shown.
  const auto body = printed.out.substr(printed.out.find("name: default"));
  EXPECT_EQ(body, shown);
}

TEST(DocsTest, TheFlaskFrameworkExampleExpandsWithBothSteps) {
  const fs::path example = fs::path(GANTRY_SOURCE_DIR) / "examples/flask-framework";
  const sdk::TemporaryDirectory dir("gantry-docs-test-");
  fs::copy(example, dir.path() / "app", fs::copy_options::recursive);
  const auto rock = gantry(dir.path() / "app", {"rock-pack", "--expand"});
  ASSERT_EQ(rock.exit_code, 0) << rock.err;
  EXPECT_NE(rock.out.find("flask-framework/dependencies:"), std::string::npos) << rock.out;
  EXPECT_NE(rock.out.find("'app:app' -k [ sync ]"), std::string::npos) << rock.out;
  const auto charm = gantry(dir.path() / "app", {"charm-pack", "--project", "charm", "--expand"});
  ASSERT_EQ(charm.exit_code, 0) << charm.err;
  EXPECT_NE(charm.out.find("flask-app-image"), std::string::npos) << charm.out;
}

}  // namespace
}  // namespace gantry::testing
