#include "gantry/oci/tar_index.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/oci/blob_reader.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::oci {
namespace {

using testing::run_command;
using testing::write_file;

std::string read_member(const std::filesystem::path& archive, const TarMember& member) {
  FileSliceReader reader(std::make_shared<const SharedFile>(archive), member.offset, member.size);
  return read_all(reader);
}

TEST(TarIndexTest, FindsMembersWrittenByGnuTarIncludingLongNames) {
  const sdk::TemporaryDirectory dir;
  const std::string long_name = std::string(120, 'x') + "/" + std::string(80, 'y') + ".txt";
  write_file(dir.path() / "src" / "index.json", "{\"manifests\":[]}");
  write_file(dir.path() / "src" / long_name, "deep");
  for (const std::string format : {"gnu", "posix", "ustar"}) {
    const auto archive = dir.path() / (format + ".tar");
    const auto made =
        run_command({.argv = {"tar", "--format=" + format, "-C", (dir.path() / "src").string(),
                              "-cf", archive.string(), "./index.json", long_name}});
    if (format == "ustar") {
      continue;  // ustar cannot hold the long name; tar refuses, as it should
    }
    ASSERT_EQ(made.exit_code, 0) << made.err;
    const auto index = TarIndex::scan(archive);
    ASSERT_TRUE(index.find("index.json")) << format;
    EXPECT_EQ(read_member(archive, *index.find("index.json")), "{\"manifests\":[]}");
    ASSERT_TRUE(index.find(long_name)) << format;
    EXPECT_EQ(read_member(archive, *index.find(long_name)), "deep");
  }
}

TEST(TarIndexTest, RefusesAFileThatIsNotATar) {
  const sdk::TemporaryDirectory dir;
  write_file(dir.path() / "app.rock", std::string(2048, 'z'));
  try {
    (void)TarIndex::scan(dir.path() / "app.rock");
    FAIL() << "expected an error";
  } catch (const OciError& error) {
    EXPECT_EQ(std::string(error.what()),
              (dir.path() / "app.rock").string() +
                  " is not an uncompressed tar archive (no tar header at its start)");
  }
}

TEST(TarIndexTest, RefusesATruncatedArchive) {
  const sdk::TemporaryDirectory dir;
  write_file(dir.path() / "src" / "big", std::string(100000, 'b'));
  const auto archive = dir.path() / "a.tar";
  ASSERT_EQ(run_command({.argv = {"tar", "-C", (dir.path() / "src").string(), "-cf",
                                  archive.string(), "big"}})
                .exit_code,
            0);
  std::filesystem::resize_file(archive, 50000);
  EXPECT_THROW((void)TarIndex::scan(archive), OciError);
}

}  // namespace
}  // namespace gantry::oci
