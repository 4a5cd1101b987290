#include "tree_discarder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

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
  {
    TreeDiscarder discarder(dir.path() / "trash");
    for (int round = 0; round < 2; ++round) {
      testing::write_file(dir.path() / "stage/a/b", "b\n");
      discarder.discard({dir.path() / "stage"});
      EXPECT_FALSE(fs::exists(dir.path() / "stage"));
    }
  }
  EXPECT_FALSE(fs::exists(dir.path() / "trash"));
}

TEST(TreeDiscarderTest, ReadOnlyDirectoriesAreDeletedToo) {
  sdk::TemporaryDirectory dir("gantry-discard-");
  testing::write_file(dir.path() / "prime/srv/app/file", "f\n");
  fs::permissions(dir.path() / "prime/srv/app", fs::perms(0555));  // as permissions: may set
  fs::permissions(dir.path() / "prime/srv", fs::perms(0555));
  // root may delete from any directory: the discard runs as nobody, who owns the tree.
  constexpr uid_t kNobody = 65534;
  const bool root = ::geteuid() == 0;
  if (root) {
    ASSERT_EQ(::lchown(dir.path().c_str(), kNobody, kNobody), 0);
    for (const auto& entry : fs::recursive_directory_iterator(dir.path())) {
      ASSERT_EQ(::lchown(entry.path().c_str(), kNobody, kNobody), 0);
    }
  }
  EXPECT_EXIT(
      {
        if (root && (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)) {
          std::_Exit(2);
        }
        {
          TreeDiscarder discarder(dir.path() / "trash");
          discarder.discard({dir.path() / "prime"});
        }
        std::_Exit(fs::exists(dir.path() / "trash") || fs::exists(dir.path() / "prime") ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), "");
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
