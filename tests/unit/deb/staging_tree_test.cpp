#include "gantry/deb/staging_tree.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "command.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

auto content(const std::string& text) {
  return [text](const std::function<void(std::string_view)>& write) { write(text); };
}

class StagingTreeTest : public ::testing::Test {
 protected:
  sdk::TemporaryDirectory dir_{"gantry-staging-tree-"};
  fs::path root_ = dir_.path() / "root";
  fs::path outside_ = dir_.path() / "outside";
  std::vector<std::string> warnings_;
  StagingTree tree_{root_, [this](const std::string& w) { warnings_.push_back(w); }};
};

TEST_F(StagingTreeTest, WritesEntriesAndLetsLaterOnesReplaceEarlierOnes) {
  tree_.add_directory("./usr/", 0755);
  tree_.add_file("./usr/bin/tool", 0755, 1000, content("one"));
  tree_.add_file("./usr/bin/tool", 0644, 1000, content("two"));
  tree_.add_symlink("./usr/bin/alias", "tool", 1000);
  tree_.add_hardlink("./usr/bin/copy", "./usr/bin/tool");
  EXPECT_EQ(testing::read_file(root_ / "usr/bin/tool"), "two");
  EXPECT_EQ(testing::read_file(root_ / "usr/bin/alias"), "two");
  EXPECT_EQ(fs::hard_link_count(root_ / "usr/bin/copy"), 2U);
  EXPECT_EQ(fs::last_write_time(root_ / "usr/bin/tool").time_since_epoch().count() != 0, true);
}

TEST_F(StagingTreeTest, RefusesDotDotAndAbsoluteNames) {
  EXPECT_THROW(tree_.add_file("../outside/x", 0644, 0, content("x")), DebError);
  EXPECT_THROW(tree_.add_file("./usr/../../x", 0644, 0, content("x")), DebError);
  EXPECT_THROW(tree_.add_file("/etc/passwd", 0644, 0, content("x")), DebError);
  EXPECT_THROW(tree_.add_hardlink("./x", "../../etc/passwd"), DebError);
  EXPECT_FALSE(fs::exists(outside_));
}

TEST_F(StagingTreeTest, RefusesWritingThroughASymlinkThatLeavesTheTree) {
  fs::create_directories(outside_);
  tree_.add_symlink("./escape", "../outside", 0);
  tree_.add_symlink("./deep/escape", "../../../outside", 0);
  EXPECT_THROW(tree_.add_file("./escape/pwned", 0644, 0, content("x")), DebError);
  EXPECT_THROW(tree_.add_file("./deep/escape/pwned", 0644, 0, content("x")), DebError);
  EXPECT_THROW(tree_.add_directory("./escape/dir", 0755), DebError);
  EXPECT_TRUE(fs::is_empty(outside_));
}

TEST_F(StagingTreeTest, FollowsSymlinksInsideTheTreeAsARootFilesystemWould) {
  tree_.add_directory("./usr/lib", 0755);
  tree_.add_symlink("./lib", "usr/lib", 0);
  tree_.add_file("./lib/libc.so.6", 0644, 0, content("c"));
  EXPECT_TRUE(fs::is_regular_file(root_ / "usr/lib/libc.so.6"));
  EXPECT_TRUE(fs::is_symlink(root_ / "lib"));
  // An absolute target is read from the tree's root, not the host's.
  tree_.add_symlink("./etc-link", "/etc", 0);
  tree_.add_file("./etc-link/hostname", 0644, 0, content("h"));
  EXPECT_EQ(testing::read_file(root_ / "etc/hostname"), "h");
}

TEST_F(StagingTreeTest, ReplacingASymlinkDoesNotWriteThroughIt) {
  fs::create_directories(outside_);
  testing::write_file(outside_ / "target", "keep");
  tree_.add_symlink("./file", (outside_ / "target").string(), 0);
  tree_.add_file("./file", 0644, 0, content("new"));
  EXPECT_EQ(testing::read_file(outside_ / "target"), "keep");
  EXPECT_EQ(testing::read_file(root_ / "file"), "new");
}

TEST_F(StagingTreeTest, DropsSetuidAndSetgidBitsWithAWarning) {
  tree_.add_file("./usr/bin/su", 04755, 0, content("x"));
  struct stat status {};
  ASSERT_EQ(::stat((root_ / "usr/bin/su").c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777U, 0755U);
  ASSERT_EQ(warnings_.size(), 1U);
  EXPECT_NE(warnings_[0].find("setuid"), std::string::npos);
}

TEST_F(StagingTreeTest, ReplacesAFileWithoutFollowingLinksOut) {
  fs::create_directories(outside_);
  testing::write_file(outside_ / "victim", "victim\n");
  // A package ships the directory gantry writes records into as a link out of the tree,
  // and the record's own name as a link to a file outside.
  tree_.add_symlink("./var/lib/dpkg/status.d", (outside_).string(), 0);
  tree_.add_directory("./etc", 0755);
  tree_.add_symlink("./etc/record", (outside_ / "victim").string(), 0);
  tree_.replace_file("var/lib/dpkg/status.d/app", 0644, 0, "Package: app\n");
  tree_.replace_file("etc/record", 0600, 0, "mine\n");
  EXPECT_EQ(testing::read_file(outside_ / "victim"), "victim\n");
  EXPECT_EQ(fs::directory_iterator(outside_)->path().filename(), "victim");
  // The absolute link is followed as the image would follow it: from the tree's root.
  EXPECT_EQ(testing::read_file(root_ / outside_.relative_path() / "app"), "Package: app\n");
  EXPECT_EQ(testing::read_file(root_ / "etc/record"), "mine\n");
  EXPECT_FALSE(fs::is_symlink(root_ / "etc/record"));
  EXPECT_EQ(fs::status(root_ / "etc/record").permissions(), fs::perms(0600));
}

TEST_F(StagingTreeTest, ReadsRemovesAndListsOnlyInsideTheTree) {
  fs::create_directories(outside_ / "dir");
  testing::write_file(outside_ / "dir/secret", "secret\n");
  tree_.add_symlink("./out", "/../../../" + outside_.relative_path().string(), 0);
  tree_.add_symlink("./up", "../outside/dir", 0);
  tree_.add_symlink("./link", (outside_ / "dir/secret").string(), 0);
  EXPECT_FALSE(tree_.read_regular_file("link", 100));
  EXPECT_FALSE(tree_.read_regular_file("up/secret", 100));
  EXPECT_FALSE(tree_.remove("up/secret"));
  EXPECT_TRUE(tree_.list_directory("up").empty());
  EXPECT_FALSE(tree_.exists("up/secret"));
  EXPECT_FALSE(tree_.exists("out/dir/secret"));
  EXPECT_TRUE(tree_.remove("link"));
  EXPECT_EQ(testing::read_file(outside_ / "dir/secret"), "secret\n");
}

}  // namespace
}  // namespace gantry::deb
