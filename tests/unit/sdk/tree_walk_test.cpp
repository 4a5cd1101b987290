#include "gantry/sdk/tree_walk.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "command.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::sdk {
namespace {

namespace fs = std::filesystem;
using testing::write_file;

std::vector<std::string> walked(const fs::path& root, const TreeVisitor& also = {}) {
  std::vector<std::string> names;
  walk_tree(root, [&](const std::string& name, const struct stat& status) {
    names.push_back(name + (S_ISDIR(status.st_mode) ? "/" : S_ISLNK(status.st_mode) ? "@" : ""));
    return also ? also(name, status) : true;
  });
  return names;
}

TEST(TreeWalkTest, ListsEveryEntryBelowTheRootByItsRelativeName) {
  const TemporaryDirectory dir;
  write_file(dir.path() / "a/b/c.txt", "c");
  write_file(dir.path() / "a/d.txt", "d");
  write_file(dir.path() / "top", "t");
  fs::create_directories(dir.path() / "empty");
  fs::create_directory_symlink(dir.path() / "a", dir.path() / "link");
  auto names = walked(dir.path());
  // Each directory comes before what it holds.
  for (const std::string parent : {"a/", "a/b/"}) {
    const auto at = std::find(names.begin(), names.end(), parent);
    ASSERT_NE(at, names.end()) << parent;
    for (auto inner = names.begin(); inner != names.end(); ++inner) {
      if (inner->starts_with(parent) && *inner != parent) {
        EXPECT_LT(at, inner) << parent << " after " << *inner;
      }
    }
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a/", "a/b/", "a/b/c.txt", "a/d.txt", "empty/",
                                             "link@", "top"}));  // the link is not followed
}

TEST(TreeWalkTest, KindsAloneComeFromTheListing) {
  const TemporaryDirectory dir;
  write_file(dir.path() / "d/f", "f");
  fs::create_symlink("d", dir.path() / "l");
  std::vector<std::string> names;
  walk_tree(
      dir.path(),
      [&](const std::string& name, const struct stat& status) {
        names.push_back(name + (S_ISDIR(status.st_mode)   ? "/"
                                : S_ISLNK(status.st_mode) ? "@"
                                : S_ISREG(status.st_mode) ? ""
                                                          : "?"));
        return true;
      },
      TreeDetail::kKind);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"d/", "d/f", "l@"}));
}

TEST(TreeWalkTest, AVisitorSkipsADirectorysContentsByReturningFalse) {
  const TemporaryDirectory dir;
  write_file(dir.path() / "keep/x", "x");
  write_file(dir.path() / "skip/y", "y");
  auto names = walked(dir.path(),
                      [](const std::string& name, const struct stat&) { return name != "skip"; });
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"keep/", "keep/x", "skip/"}));
}

TEST(TreeWalkTest, AMissingRootIsAnErrorNamingIt) {
  const TemporaryDirectory dir;
  try {
    walked(dir.path() / "missing");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find((dir.path() / "missing").string()), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace gantry::sdk
