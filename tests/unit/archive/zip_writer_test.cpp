// ZipWriter's archives read back by tools no one here wrote: Python's zipfile (Debian's
// /usr/bin/python3) and Info-ZIP's `unzip -Z`; and by ZipReader.
#include "gantry/archive/zip_writer.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "command.hpp"
#include "gantry/archive/zip_reader.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::archive {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_command;
using testing::write_file;

class ZipWriterTest : public ::testing::Test {
 protected:
  fs::path write_sample(const fs::path& target, std::int64_t mtime) {
    write_file(dir_.path() / "on-disk.py", "#!/usr/bin/env python3\nprint('hi')\n");
    ZipWriter zip(target, mtime);
    zip.add_bytes("zeta.txt", "last\n");
    zip.add_file("src/charm.py", dir_.path() / "on-disk.py", 0755);
    zip.add_bytes("dispatch", "#!/bin/sh\n", 0755);
    zip.add_bytes("empty", "");
    zip.add_bytes("big.txt", std::string(200000, 'x'));
    zip.commit();
    return target;
  }

  sdk::TemporaryDirectory dir_{"gantry-zip-test-"};
};

TEST_F(ZipWriterTest, PythonZipfileReadsSortedEntriesWithUnixModesAndTheGivenTime) {
  const auto zip = write_sample(dir_.path() / "a.zip", 1700000000);
  const auto result =
      run_command({.argv = {"/usr/bin/python3", "-c",
                            "import sys, zipfile\n"
                            "z = zipfile.ZipFile(sys.argv[1])\n"
                            "assert z.testzip() is None\n"
                            "for i in z.infolist():\n"
                            "    print(i.filename, i.create_system, oct(i.external_attr >> 16), "
                            "i.compress_type, i.date_time, len(z.read(i)))\n",
                            zip.string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "big.txt 3 0o100644 8 (2023, 11, 14, 22, 13, 20) 200000\n"
            "dispatch 3 0o100755 8 (2023, 11, 14, 22, 13, 20) 10\n"
            "empty 3 0o100644 8 (2023, 11, 14, 22, 13, 20) 0\n"
            "src/charm.py 3 0o100755 8 (2023, 11, 14, 22, 13, 20) 35\n"
            "zeta.txt 3 0o100644 8 (2023, 11, 14, 22, 13, 20) 5\n");
}

TEST_F(ZipWriterTest, UnzipListsUnixPermissionsAndDeflate) {
  const auto zip = write_sample(dir_.path() / "a.zip", 1700000000);
  const auto result = run_command({.argv = {"unzip", "-Z", zip.string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("-rwxr-xr-x  2.0 unx       10 b- defN"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("-rw-r--r--  2.0 unx   200000 b- defN"), std::string::npos)
      << result.out;
  const auto test = run_command({.argv = {"unzip", "-tq", zip.string()}});
  EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
}

TEST_F(ZipWriterTest, TheSameEntriesGiveTheSameBytesInAnyOrder) {
  const auto first = write_sample(dir_.path() / "a.zip", 1700000000);
  ZipWriter other(dir_.path() / "b.zip", 1700000000);
  other.add_bytes("big.txt", std::string(200000, 'x'));
  other.add_bytes("empty", "");
  other.add_bytes("dispatch", "#!/bin/sh\n", 0755);
  other.add_bytes("zeta.txt", "last\n");
  other.add_file("src/charm.py", dir_.path() / "on-disk.py", 0755);
  other.commit();
  EXPECT_EQ(read_file(first), read_file(dir_.path() / "b.zip"));
}

TEST_F(ZipWriterTest, NothingAppearsWithoutCommit) {
  {
    ZipWriter zip(dir_.path() / "never.zip", 0);
    zip.add_bytes("a", "b");
  }
  EXPECT_FALSE(fs::exists(dir_.path() / "never.zip"));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_.path())) {
    ++files;
  }
  EXPECT_EQ(files, 0U);
}

TEST_F(ZipWriterTest, AnUnreadableInputLeavesNoArchiveAndNoTemporaryFile) {
  ZipWriter zip(dir_.path() / "bad.zip", 0);
  zip.add_bytes("a", "b");
  zip.add_file("missing", dir_.path() / "missing");
  EXPECT_THROW(zip.commit(), Error);
  EXPECT_TRUE(fs::is_empty(dir_.path()));
}

TEST_F(ZipWriterTest, RefusesTwoEntriesOfOneName) {
  ZipWriter zip(dir_.path() / "twice.zip", 0);
  zip.add_bytes("a", "1");
  zip.add_bytes("a", "2");
  EXPECT_THROW(zip.commit(), Error);
}

TEST_F(ZipWriterTest, TimesBefore1980AreThe1980Epoch) {
  const DosTime early = dos_time(0);
  EXPECT_EQ(early.date, (0U << 9U) | (1U << 5U) | 1U);
  EXPECT_EQ(early.time, 0U);
  const DosTime later = dos_time(1700000000);  // 2023-11-14 22:13:20 UTC
  EXPECT_EQ(later.date, ((2023U - 1980U) << 9U) | (11U << 5U) | 14U);
  EXPECT_EQ(later.time, (22U << 11U) | (13U << 5U) | 10U);
}

TEST_F(ZipWriterTest, ZipReaderReadsBackContentAndGoStyleModes) {
  const auto zip = write_sample(dir_.path() / "a.zip", 1700000000);
  const ZipReader reader(zip);
  ASSERT_EQ(reader.entries().size(), 5U);
  EXPECT_EQ(reader.read("zeta.txt"), "last\n");
  EXPECT_EQ(reader.read("big.txt")->size(), 200000U);
  EXPECT_EQ(reader.find("dispatch")->permissions(), 0755U);
  EXPECT_EQ(reader.find("empty")->permissions(), 0644U);
  EXPECT_FALSE(reader.read("nope").has_value());
}

TEST_F(ZipWriterTest, ZipReaderReadsWhatInfoZipWrites) {
  write_file(dir_.path() / "in/hello.txt", "hello\n");
  const auto zipped = run_command(
      {.argv = {"zip", "-q", "-r", "../z.zip", "hello.txt"}, .cwd = dir_.path() / "in"});
  ASSERT_EQ(zipped.exit_code, 0) << zipped.err;
  const ZipReader reader(dir_.path() / "z.zip");
  EXPECT_EQ(reader.read("hello.txt"), "hello\n");
}

TEST_F(ZipWriterTest, ZipReaderRefusesAFileThatIsNotAZip) {
  write_file(dir_.path() / "not.charm", "just text, long enough to look for a directory\n");
  try {
    const ZipReader reader(dir_.path() / "not.charm");
    FAIL() << "read a text file as a zip";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("is not a zip archive"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace gantry::archive
