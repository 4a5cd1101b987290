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
  const auto summary = normalize_tree(root, [&](const std::string& w) { warnings.push_back(w); });

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

}  // namespace
}  // namespace gantry::deb
