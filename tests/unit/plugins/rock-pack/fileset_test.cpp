#include "fileset.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::rock_pack {
namespace {

TEST(FilesetTest, IncludesEverythingButHiddenEntriesByDefault) {
  const Fileset all({});
  EXPECT_TRUE(all.selects("usr/bin/tool"));
  EXPECT_FALSE(all.selects(".hidden"));
}

TEST(FilesetTest, WildcardsStayInAComponentUnlessDoubled) {
  const Fileset bins({"usr/bin/*"});
  EXPECT_TRUE(bins.selects("usr/bin/tool"));
  EXPECT_FALSE(bins.selects("usr/lib/tool"));
  const Fileset deep({"usr/**/*.py"});
  EXPECT_TRUE(deep.selects("usr/lib/python3/dist-packages/x.py"));
  EXPECT_FALSE(deep.selects("usr/lib/x.pyc"));
}

TEST(FilesetTest, ExclusionsWinAndADirectoryBringsWhatItHolds) {
  const Fileset fileset({"usr", "-usr/share/doc", "- usr/share/man/*"});
  EXPECT_TRUE(fileset.selects("usr/bin/tool"));
  EXPECT_FALSE(fileset.selects("usr/share/doc/x/copyright"));
  EXPECT_FALSE(fileset.selects("usr/share/man/man1"));
  EXPECT_TRUE(fileset.selects("usr/share/app/data"));
}

TEST(FilesetTest, SelectsFromATreeWithTheParentsOfWhatItSelects) {
  sdk::TemporaryDirectory dir("gantry-fileset-");
  testing::write_file(dir.path() / "usr/bin/tool", "x");
  testing::write_file(dir.path() / "usr/share/doc/tool/README", "x");
  testing::write_file(dir.path() / "etc/tool.conf", "x");
  const auto selected = Fileset({"usr/bin/tool", "etc"}).select(dir.path());
  EXPECT_EQ(selected,
            (std::vector<std::string>{"etc", "etc/tool.conf", "usr", "usr/bin", "usr/bin/tool"}));
}

}  // namespace
}  // namespace gantry::rock_pack
