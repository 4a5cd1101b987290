#include "gantry/sdk/file_copy.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <sstream>

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
  // A disk that fills up after 1 MiB: writes beyond it fail with EFBIG.
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit previous{};
  ::getrlimit(RLIMIT_FSIZE, &previous);
  rlimit limit = previous;
  limit.rlim_cur = 1U << 20;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  std::string message;
  std::string resolution;
  try {
    copy_to_new_file(dir.path() / "big", dir.path() / "copy");
  } catch (const Error& error) {
    message = error.what();
    resolution = error.resolution();
  }
  ::setrlimit(RLIMIT_FSIZE, &previous);
  std::signal(SIGXFSZ, previous_handler);
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_EQ(resolution, "Free some disk space, or write elsewhere.");
  EXPECT_FALSE(fs::exists(dir.path() / "copy"));
}

}  // namespace
}  // namespace gantry::sdk
