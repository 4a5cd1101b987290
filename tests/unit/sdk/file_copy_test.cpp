#include "gantry/sdk/file_copy.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "file_size_limit.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::sdk {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(FileCopyTest, CopiesTheBytesAndThePermissionBits) {
  TemporaryDirectory dir("gantry-copy-");
  const std::string text(300000, 'x');
  write(dir.path() / "tool", text);
  fs::permissions(dir.path() / "tool", fs::perms(0750));
  copy_to_new_file(dir.path() / "tool", dir.path() / "copy");
  EXPECT_EQ(read(dir.path() / "copy"), text);
  EXPECT_EQ(fs::status(dir.path() / "copy").permissions(), fs::perms(0750));
  write(dir.path() / "empty", "");
  copy_to_new_file(dir.path() / "empty", dir.path() / "empty-copy");
  EXPECT_EQ(fs::file_size(dir.path() / "empty-copy"), 0U);
}

TEST(FileCopyTest, NeverReplacesAFileAndNamesWhatIsMissing) {
  TemporaryDirectory dir("gantry-copy-");
  write(dir.path() / "a", "a");
  write(dir.path() / "b", "b");
  EXPECT_THROW(copy_to_new_file(dir.path() / "a", dir.path() / "b"), Error);
  EXPECT_EQ(read(dir.path() / "b"), "b");
  try {
    copy_to_new_file(dir.path() / "missing", dir.path() / "c");
    FAIL() << "copied a file that is not there";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("cannot read " + (dir.path() / "missing").string()),
              std::string::npos)
        << error.what();
  }
}

TEST(FileCopyTest, AFullDiskSaysSoAndLeavesNoPartialCopy) {
  TemporaryDirectory dir("gantry-copy-");
  write(dir.path() / "big", std::string(3U << 20, 'b'));
  std::string message;
  std::string resolution;
  {
    const testing::FileSizeLimit full_disk(1U << 20);  // writes past 1 MiB fail
    ASSERT_TRUE(full_disk.applied());
    try {
      copy_to_new_file(dir.path() / "big", dir.path() / "copy");
    } catch (const Error& error) {
      message = error.what();
      resolution = error.resolution();
    }
  }
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_EQ(resolution, "Free some disk space, or write elsewhere.");
  EXPECT_FALSE(fs::exists(dir.path() / "copy"));
}

}  // namespace
}  // namespace gantry::sdk
