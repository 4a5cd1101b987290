// A spool holds a project tar in memory up to its limit and in an unnamed file past it,
// and gives the bytes back in order either way.
#include "transport/spool.hpp"

#include <gtest/gtest.h>

#include "gantry/sdk/error.hpp"

namespace gantry::host {
namespace {

std::string read_back(const Spool& spool, std::size_t chunk_bytes) {
  std::string bytes;
  spool.read(chunk_bytes, [&](std::string_view chunk) {
    EXPECT_LE(chunk.size(), chunk_bytes);
    bytes.append(chunk);
    return true;
  });
  return bytes;
}

std::string pattern(std::size_t size) {
  std::string text(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    text[i] = static_cast<char>('a' + i % 23);
  }
  return text;
}

TEST(SpoolTest, SmallContentStaysInMemory) {
  Spool spool({}, 1024);
  spool.write("hello, ");
  spool.write("runner");
  ASSERT_NE(spool.memory(), nullptr);
  EXPECT_EQ(spool.file(), -1);
  EXPECT_EQ(spool.size(), 13U);
  EXPECT_EQ(read_back(spool, 4), "hello, runner");
}

TEST(SpoolTest, ContentPastTheLimitGoesToAnUnnamedFileInOrder) {
  const auto content = pattern(10'000);
  Spool spool({}, 1024);
  for (std::size_t at = 0; at < content.size(); at += 700) {
    spool.write(std::string_view(content).substr(at, 700));
  }
  EXPECT_EQ(spool.memory(), nullptr);
  ASSERT_GE(spool.file(), 0);
  EXPECT_EQ(spool.size(), content.size());
  EXPECT_EQ(read_back(spool, 4096), content);
  EXPECT_EQ(read_back(spool, 333), content) << "read twice";
}

TEST(SpoolTest, ADirectoryThatTakesNoFileIsAGantryError) {
  Spool spool("/nonexistent/gantry-spool-test", 16);
  spool.write("fits");
  try {
    spool.write(pattern(100));
    FAIL() << "spilled into a directory that does not exist";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/gantry-spool-test"), std::string::npos)
        << error.what();
  }
}

TEST(SpoolTest, ReadingStopsWhenTheReaderSaysSo) {
  Spool spool({}, 8);
  spool.write(pattern(100));
  int calls = 0;
  spool.read(10, [&](std::string_view) { return ++calls < 3; });
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace gantry::host
