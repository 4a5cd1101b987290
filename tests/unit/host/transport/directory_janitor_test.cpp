// The janitor removes the trees it is handed on its own thread, and finishes its queue
// before it goes away.
#include "transport/directory_janitor.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::host {
namespace {

std::filesystem::path make_tree(const std::filesystem::path& at) {
  std::filesystem::create_directories(at / "project" / "src");
  std::ofstream(at / "project" / "src" / "app.py") << "print()\n";
  std::filesystem::create_symlink("src/app.py", at / "project" / "main.py");
  return at;
}

TEST(DirectoryJanitorTest, RemovesEveryTreeHandedOverByTheTimeItIsGone) {
  const sdk::TemporaryDirectory scratch("gantry-janitor-");
  std::vector<std::filesystem::path> trees;
  {
    DirectoryJanitor janitor;
    for (int i = 0; i < 20; ++i) {
      trees.push_back(make_tree(scratch.path() / ("run-" + std::to_string(i))));
      janitor.remove(trees.back());
    }
  }
  for (const auto& tree : trees) {
    EXPECT_FALSE(std::filesystem::exists(tree)) << tree;
  }
}

TEST(DirectoryJanitorTest, AMissingDirectoryIsNoError) {
  const sdk::TemporaryDirectory scratch("gantry-janitor-");
  const auto kept = make_tree(scratch.path() / "kept");
  {
    DirectoryJanitor janitor;
    janitor.remove(scratch.path() / "never-there");
  }
  EXPECT_TRUE(std::filesystem::exists(kept / "project" / "src" / "app.py"));
}

TEST(DirectoryJanitorTest, ASymlinkHandedOverGoesWithoutWhatItPointsAt) {
  const sdk::TemporaryDirectory scratch("gantry-janitor-");
  const auto target = make_tree(scratch.path() / "target");
  std::filesystem::create_directory_symlink(target, scratch.path() / "link");
  {
    DirectoryJanitor janitor;
    janitor.remove(scratch.path() / "link");
  }
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(scratch.path() / "link")));
  EXPECT_TRUE(std::filesystem::exists(target / "project" / "src" / "app.py"));
}

}  // namespace
}  // namespace gantry::host
