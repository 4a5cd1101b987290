#include "tree_discarder.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

TEST(TreeDiscarderTest, TreesAreGoneAtOnceAndTheTrashWhenItEnds) {
  sdk::TemporaryDirectory dir("gantry-discard-");
  testing::write_file(dir.path() / "stage/usr/bin/tool", "tool\n");
  testing::write_file(dir.path() / "prime/usr/bin/tool", "tool\n");
  testing::write_file(dir.path() / "trash/killed-run/0/file", "left by a run that was killed\n");
  {
    TreeDiscarder discarder(dir.path() / "trash");
    discarder.discard({dir.path() / "stage", dir.path() / "prime", dir.path() / "never-made"});
    EXPECT_FALSE(fs::exists(dir.path() / "stage"));
    EXPECT_FALSE(fs::exists(dir.path() / "prime"));
    fs::create_directories(dir.path() / "stage");  // the name is free for the new tree
  }
  EXPECT_FALSE(fs::exists(dir.path() / "trash"));
  EXPECT_TRUE(fs::is_directory(dir.path() / "stage"));
}

TEST(TreeDiscarderTest, TwoDiscardsInARowBothHappen) {
  sdk::TemporaryDirectory dir("gantry-discard-");
  TreeDiscarder discarder(dir.path() / "trash");
  for (int round = 0; round < 2; ++round) {
    testing::write_file(dir.path() / "stage/a/b", "b\n");
    discarder.discard({dir.path() / "stage"});
    EXPECT_FALSE(fs::exists(dir.path() / "stage"));
  }
}

TEST(TreeDiscarderTest, WithoutATrashTheTreeIsDeletedThere) {
  sdk::TemporaryDirectory dir("gantry-discard-");
  testing::write_file(dir.path() / "trash", "a file where the trash would go\n");
  testing::write_file(dir.path() / "stage/a/b", "b\n");
  {
    TreeDiscarder discarder(dir.path() / "trash");
    discarder.discard({dir.path() / "stage"});
    EXPECT_FALSE(fs::exists(dir.path() / "stage"));
  }
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "trash"));  // not ours to delete
}

}  // namespace
}  // namespace gantry::rock_pack
