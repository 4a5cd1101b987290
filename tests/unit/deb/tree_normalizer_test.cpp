#include "gantry/deb/tree_normalizer.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

TEST(TreeNormalizerTest, MakesTheTreeRelocatable) {
  sdk::TemporaryDirectory dir("gantry-normalize-");
  const fs::path root = dir.path();
  testing::write_file(root / "usr/bin/python3.11", "ELF");
  testing::write_file(root / "usr/lib/python3.11/sitecustomize.py", "x");
  testing::write_file(root / "usr/bin/plain", "#!/usr/bin/python3\nprint()\n");
  testing::write_file(root / "usr/bin/with-args", "#!/usr/bin/python3.11 -Es\nprint()\n");
  testing::write_file(root / "usr/bin/shell", "#!/bin/sh\necho\n");
  testing::write_file(root / "usr/bin/envy", "#!/usr/bin/env python3\n");
  fs::create_symlink("/usr/bin/python3.11", root / "usr/bin/python3");
  fs::create_symlink("/usr/bin/python3.11", root / "usr/lib/python3.11/link");
  fs::create_symlink("/nowhere", root / "usr/bin/dangling");
  fs::permissions(root / "usr/bin/plain", fs::perms(0755));
  std::vector<std::string> warnings;
  StagingTree tree(root, [&](const std::string& w) { warnings.push_back(w); });
  const auto summary = normalize_tree(tree, [&](const std::string& w) { warnings.push_back(w); });

  EXPECT_FALSE(fs::exists(root / "usr/lib/python3.11/sitecustomize.py"));
  EXPECT_EQ(fs::read_symlink(root / "usr/bin/python3"), "python3.11");
  EXPECT_EQ(fs::read_symlink(root / "usr/lib/python3.11/link"), "../../bin/python3.11");
  EXPECT_EQ(fs::read_symlink(root / "usr/bin/dangling"), "/nowhere");
  EXPECT_EQ(summary.symlinks_made_relative, 2);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_NE(warnings[0].find("/usr/bin/dangling points to /nowhere"), std::string::npos);

  EXPECT_EQ(testing::read_file(root / "usr/bin/plain"), "#!/usr/bin/env python3\nprint()\n");
  EXPECT_EQ(fs::status(root / "usr/bin/plain").permissions(), fs::perms(0755));
  EXPECT_EQ(testing::read_file(root / "usr/bin/with-args"),
            "#!/bin/sh\n''''exec python3.11 -Es -- \"$0\" \"$@\" # '''\nprint()\n");
  EXPECT_EQ(testing::read_file(root / "usr/bin/shell"), "#!/bin/sh\necho\n");
  EXPECT_EQ(testing::read_file(root / "usr/bin/envy"), "#!/usr/bin/env python3\n");
  EXPECT_EQ(summary.shebangs_rewritten, 2);
}

// A package may ship symlinks where the normalizer writes: none of its writes, removals or
// lookups may follow them out of the tree.
TEST(TreeNormalizerTest, NeverWritesOrLooksOutsideTheTree) {
  sdk::TemporaryDirectory dir("gantry-normalize-");
  const fs::path root = dir.path() / "root";
  const fs::path outside = dir.path() / "outside";
  testing::write_file(outside / "tool.gantry-shebang", "victim\n");
  testing::write_file(outside / "python3/sitecustomize.py", "victim\n");
  testing::write_file(outside / "etc/x", "host file\n");
  testing::write_file(root / "usr/bin/tool", "#!/usr/bin/python3\nprint()\n");
  testing::write_file(root / "etc/x", "in the tree\n");
  fs::create_directories(root / "usr/lib");
  // Old temporary names, a python dir that is a link out, and absolute links that climb.
  fs::create_symlink(outside / "tool.gantry-shebang", root / "usr/bin/tool.gantry-shebang");
  fs::create_symlink(outside / "python3", root / "usr/lib/python3");
  fs::create_symlink("/../../etc/x", root / "usr/bin/climbs");
  fs::create_symlink(outside / "etc/x", root / "usr/bin/host-only");
  std::vector<std::string> warnings;
  StagingTree tree(root, [&](const std::string& w) { warnings.push_back(w); });
  const auto summary = normalize_tree(tree, [&](const std::string& w) { warnings.push_back(w); });

  EXPECT_EQ(testing::read_file(root / "usr/bin/tool"), "#!/usr/bin/env python3\nprint()\n");
  EXPECT_EQ(testing::read_file(outside / "tool.gantry-shebang"), "victim\n");
  EXPECT_EQ(testing::read_file(outside / "python3/sitecustomize.py"), "victim\n");
  EXPECT_EQ(fs::read_symlink(root / "usr/bin/climbs"), "../../etc/x");
  EXPECT_EQ(testing::read_file(root / "usr/bin/climbs"), "in the tree\n");
  // Its target exists on the host, not in the tree: left alone, with a warning.
  EXPECT_EQ(fs::read_symlink(root / "usr/bin/host-only"), outside / "etc/x");
  EXPECT_EQ(summary.symlinks_made_relative, 1);
  EXPECT_EQ(summary.shebangs_rewritten, 1);
  EXPECT_EQ(warnings.size(), 3U) << "the three links out of the tree dangle in the image";
}

}  // namespace
}  // namespace gantry::deb
