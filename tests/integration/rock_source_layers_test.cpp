// Parts layered straight from their source (plain `dump` parts in a project where nothing
// runs commands): the same layer bytes as through pull, build, stage and prime; edits seen
// even when they keep the modification time; stage conflicts still found.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

const std::string kHeader = R"(name: tree
summary: s
description: d
version: "1"
base: bare
build-base: ubuntu@24.04
platforms:
  amd64:
entrypoint-command: /usr/bin/tool
parts:
  tree:
    plugin: dump
    source: tree
)";

class RockSourceLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(project_ / "tree/usr/bin/tool", "#!/bin/sh\necho tool\n");
    fs::permissions(project_ / "tree/usr/bin/tool", fs::perms(0755));
    write_file(project_ / "tree/usr/share/tool/data.txt", "data\n");
    fs::create_symlink("data.txt", project_ / "tree/usr/share/tool/link");
    write_file(project_ / "tree/usr/share/tool/.hidden", "hidden\n");
  }

  CommandResult pack(const std::string& rockcraft) {
    write_file(project_ / "rockcraft.yaml", rockcraft);
    return run_command(
        {.argv = {kGantry, "--output=plain", "rock-pack", "--project", project_.string()},
         .unset_env = {"GANTRY_PLUGIN_PATH", "SOURCE_DATE_EPOCH"},
         .cwd = work_.path()});
  }

  std::vector<std::string> layers() {
    const auto inspected =
        run_command({.argv = {"skopeo", "inspect",
                              "oci-archive:" + (project_ / "tree_1_amd64.rock").string()}});
    EXPECT_EQ(inspected.exit_code, 0) << inspected.err;
    return json::parse(inspected.out).at("Layers").get<std::vector<std::string>>();
  }

  std::string unpacked(const std::string& path) {
    const fs::path layout = work_.path() / "layout";
    const fs::path bundle = work_.path() / "bundle";
    fs::remove_all(layout);
    fs::remove_all(bundle);
    EXPECT_EQ(run_command({.argv = {"skopeo", "copy", "-q",
                                    "oci-archive:" + (project_ / "tree_1_amd64.rock").string(),
                                    "oci:" + layout.string() + ":1"}})
                  .exit_code,
              0);
    const auto unpack = run_command({.argv = {"umoci", "unpack", "--rootless", "--image",
                                              layout.string() + ":1", bundle.string()}});
    EXPECT_EQ(unpack.exit_code, 0) << unpack.err;
    return read_file(bundle / "rootfs" / path);
  }

  sdk::TemporaryDirectory work_{"gantry-rock-source-layers-"};
  fs::path project_ = work_.path() / "project";
};

TEST_F(RockSourceLayersTest, APartLayeredFromItsSourceGivesTheLayerTheLifecycleGives) {
  const auto direct = pack(kHeader);
  ASSERT_EQ(direct.exit_code, 0) << direct.err;
  EXPECT_NE(direct.err.find("Staging tree from its source"), std::string::npos) << direct.err;
  const auto direct_layers = layers();
  EXPECT_EQ(unpacked("usr/share/tool/.hidden"), "hidden\n");

  // A script anywhere in the project sends every part through stage and prime.
  const auto through = pack(kHeader + "  script:\n    plugin: nil\n    override-build: 'true'\n");
  ASSERT_EQ(through.exit_code, 0) << through.err;
  EXPECT_EQ(through.err.find("from its source"), std::string::npos) << through.err;
  const auto through_layers = layers();
  ASSERT_FALSE(direct_layers.empty());
  EXPECT_EQ(through_layers.front(), direct_layers.front());
}

TEST_F(RockSourceLayersTest, AnEditThatKeepsTheModificationTimeIsPacked) {
  ASSERT_EQ(pack(kHeader).exit_code, 0);
  const auto before = layers();
  const fs::path data = project_ / "tree/usr/share/tool/data.txt";
  struct stat status {};
  ASSERT_EQ(::stat(data.c_str(), &status), 0);
  write_file(data, "edit\n");
  const timespec times[2] = {status.st_atim, status.st_mtim};
  ASSERT_EQ(::utimensat(AT_FDCWD, data.c_str(), times, 0), 0);
  const auto again = pack(kHeader);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.err.find("Nothing changed"), std::string::npos) << again.err;
  EXPECT_NE(layers(), before);
  EXPECT_EQ(unpacked("usr/share/tool/data.txt"), "edit\n");
}

TEST_F(RockSourceLayersTest, AConflictWithAnotherPartIsStillFound) {
  write_file(project_ / "other/data.txt", "other\n");
  const std::string conflicting = kHeader +
                                  "  other:\n    plugin: dump\n    source: other\n"
                                  "    organize:\n      data.txt: usr/share/tool/data.txt\n";
  const auto refused = pack(conflicting);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("Parts 'other' and 'tree' list the following files: "
                             "usr/share/tool/data.txt"),
            std::string::npos)
      << refused.err;
  // The same content in both is allowed, as craft-parts allows it.
  write_file(project_ / "other/data.txt", "data\n");
  const auto same = pack(conflicting);
  EXPECT_EQ(same.exit_code, 0) << same.err;
}

TEST_F(RockSourceLayersTest, AStepCacheHitNeedsTheSourcesOutsideTheProjectUnchanged) {
  // A pipeline whose rock takes a part from outside the project directory: the host's
  // cache sees the project parameter only, so rock-pack declares that source as an input.
  const fs::path outside = work_.path() / "outside";
  write_file(outside / "usr/share/extra/file.txt", "one\n");
  write_file(project_ / "gantry.yaml",
             "steps:\n  rock:\n    uses: rock-pack\n    with:\n"
             "      project: .\n");
  write_file(project_ / "rockcraft.yaml",
             kHeader + "  extra:\n    plugin: dump\n    source: ../outside\n");
  const auto run = [&] {
    return run_command({.argv = {kGantry, "--output=plain", "run"},
                        .unset_env = {"GANTRY_PLUGIN_PATH", "SOURCE_DATE_EPOCH"},
                        .cwd = project_});
  };
  ASSERT_EQ(run().exit_code, 0);
  const auto cached = run();
  ASSERT_EQ(cached.exit_code, 0) << cached.err;
  EXPECT_NE(cached.err.find("(cached)"), std::string::npos) << cached.err;
  write_file(outside / "usr/share/extra/file.txt", "two\n");
  const auto changed = run();
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_EQ(changed.err.find("(cached)"), std::string::npos) << changed.err;
  EXPECT_EQ(unpacked("usr/share/extra/file.txt"), "two\n");
}

}  // namespace
}  // namespace gantry::testing
