#include "plugins/description_cache.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::host {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::write_file;

class DescriptionCacheTest : public ::testing::Test {
 protected:
  FileIdentity plugin(const std::string& name) {
    const auto file = dir_.path() / "plugins" / name;
    write_file(file, "a library: " + name);
    return *identify(file);
  }
  static v1::StepDescription described(const std::string& name) {
    v1::StepDescription description;
    description.set_name(name);
    description.set_summary("the " + name + " step");
    return description;
  }

  sdk::TemporaryDirectory dir_;
  fs::path cache_dir_ = dir_.path() / "cache";
};

TEST_F(DescriptionCacheTest, AnotherProcessReadsEveryEntryFromOneFile) {
  const auto one = plugin("one.so");
  const auto two = plugin("two.so");
  {
    const DescriptionCache writer(cache_dir_);
    writer.store(one, described("one"));
    writer.store(two, described("two"));
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(cache_dir_), fs::directory_iterator()), 1);
  const DescriptionCache reader(cache_dir_);
  EXPECT_EQ(reader.find(one)->summary(), "the one step");
  EXPECT_EQ(reader.find(two)->summary(), "the two step");
}

TEST_F(DescriptionCacheTest, AStoreKeepsWhatAnotherProcessStoredMeanwhile) {
  const auto one = plugin("one.so");
  const auto two = plugin("two.so");
  const DescriptionCache first(cache_dir_);
  const DescriptionCache second(cache_dir_);
  EXPECT_FALSE(first.find(one));  // read before the other stores
  second.store(two, described("two"));
  first.store(one, described("one"));
  const DescriptionCache reader(cache_dir_);
  EXPECT_TRUE(reader.find(one));
  EXPECT_TRUE(reader.find(two));
}

TEST_F(DescriptionCacheTest, EntriesOfRemovedFilesAreDroppedOnTheNextStore) {
  const auto gone = plugin("gone.so");
  const auto kept = plugin("kept.so");
  DescriptionCache(cache_dir_).store(gone, described("gone"));
  fs::remove(gone.path);
  DescriptionCache(cache_dir_).store(kept, described("kept"));
  const std::string text = read_file(cache_dir_ / "descriptions");
  EXPECT_EQ(text.find("gone.so"), std::string::npos) << text;
  EXPECT_NE(text.find("kept.so"), std::string::npos) << text;
}

TEST_F(DescriptionCacheTest, ADamagedFileIsAMissAndIsRewritten) {
  const auto one = plugin("one.so");
  DescriptionCache(cache_dir_).store(one, described("one"));
  std::string text = read_file(cache_dir_ / "descriptions");
  for (const std::string& damaged :
       {text.substr(0, text.size() - 3), text + "x",
        text.replace(text.find(" ", text.find('\n') + 1), 1, "9"),
        std::string("gantry-plugin-descriptions 2\n/a\n1 2 999999999999\n"),
        std::string("something else\n")}) {
    write_file(cache_dir_ / "descriptions", damaged);
    EXPECT_FALSE(DescriptionCache(cache_dir_).find(one)) << damaged;
  }
  DescriptionCache(cache_dir_).store(one, described("one"));
  EXPECT_TRUE(DescriptionCache(cache_dir_).find(one));
}

TEST_F(DescriptionCacheTest, OldPerPluginFilesAreRemoved) {
  write_file(cache_dir_ / "6bf84b58f0c6c78d.desc", "gantry-plugin-description 1\n");
  DescriptionCache(cache_dir_).store(plugin("one.so"), described("one"));
  EXPECT_FALSE(fs::exists(cache_dir_ / "6bf84b58f0c6c78d.desc"));
}

TEST_F(DescriptionCacheTest, APathWithANewlineIsNotStored) {
  const auto odd = plugin("odd\nname.so");
  DescriptionCache(cache_dir_).store(odd, described("odd"));
  EXPECT_FALSE(DescriptionCache(cache_dir_).find(odd));
  EXPECT_FALSE(fs::exists(cache_dir_ / "descriptions"));
}

}  // namespace
}  // namespace gantry::host
