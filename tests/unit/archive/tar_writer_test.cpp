// TarWriter's files from disk: copied by the kernel into an AtomicFile, through user space
// into any other sink, the same bytes either way, read back by GNU tar.
#include "gantry/archive/tar_writer.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::archive {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_command;
using testing::write_file;

TEST(TarWriterTest, FilesFromDiskGiveTheSameArchiveIntoAFileOrASink) {
  sdk::TemporaryDirectory dir("gantry-tar-");
  std::string content;
  for (int line = 0; content.size() < 300000; ++line) {
    content += "line " + std::to_string(line) + "\n";
  }
  content.resize(300001);  // not a whole number of tar blocks
  write_file(dir.path() / "blob", content);
  write_file(dir.path() / "small", "x");

  AtomicFile file(dir.path() / "copied.tar");
  TarWriter copied(file, 1700000000);
  copied.add_file_from_disk("blobs/blob", dir.path() / "blob");
  copied.add_file_from_disk("small", dir.path() / "small", 0600);
  copied.finish();
  file.commit();

  std::string streamed;
  TarWriter through([&](std::string_view bytes) { streamed.append(bytes); }, 1700000000);
  through.add_file_from_disk("blobs/blob", dir.path() / "blob");
  through.add_file_from_disk("small", dir.path() / "small", 0600);
  through.finish();

  EXPECT_EQ(read_file(dir.path() / "copied.tar"), streamed);
  fs::create_directories(dir.path() / "out");
  const auto extracted = run_command({.argv = {"tar", "-xf", (dir.path() / "copied.tar").string(),
                                               "-C", (dir.path() / "out").string()}});
  ASSERT_EQ(extracted.exit_code, 0) << extracted.err;
  EXPECT_EQ(read_file(dir.path() / "out/blobs/blob"), content);
  EXPECT_EQ(read_file(dir.path() / "out/small"), "x");
}

TEST(TarWriterTest, AFileThatIsGoneIsAnErrorAndNoArchiveIsLeft) {
  sdk::TemporaryDirectory dir("gantry-tar-");
  {
    AtomicFile file(dir.path() / "out.tar");
    TarWriter tar(file, 0);
    EXPECT_THROW(tar.add_file_from_disk("gone", dir.path() / "gone"), std::exception);
  }
  EXPECT_FALSE(fs::exists(dir.path() / "out.tar"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 0);
}

}  // namespace
}  // namespace gantry::archive
