#include "gantry/oci/layer_writer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <random>

#include "command.hpp"
#include "file_size_limit.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::oci {
namespace {

namespace fs = std::filesystem;

TEST(LayerWriterTest, WritesAGzipLayerWhoseDigestsToolsAgreeWith) {
  sdk::TemporaryDirectory dir("gantry-layer-");
  const fs::path tree = dir.path() / "tree";
  const std::string long_name(150, 'n');
  testing::write_file(tree / "usr/bin/tool", "#!/bin/sh\n");
  fs::permissions(tree / "usr/bin/tool", fs::perms(0755));
  testing::write_file(tree / "deep" / long_name / long_name, "far\n");
  fs::create_symlink("tool", tree / "usr/bin/alias");
  fs::create_hard_link(tree / "usr/bin/tool", tree / "usr/bin/again");
  fs::create_hard_link(tree / "usr/bin/tool", tree / "usr/bin/third");
  fs::create_directories(dir.path() / "blobs");
  LayerWriter layer(dir.path() / "blobs");
  add_tree(layer.tar(), tree,
           {.mtime = 1700000000, .adjust = [](const std::string& name, auto& entry) {
              if (name == "usr/bin/tool") {
                entry.uid = 584792;
              }
            }});
  const auto written = layer.finish();
  const fs::path blob = dir.path() / "blobs" / written.descriptor.digest.hex();
  ASSERT_TRUE(fs::exists(blob));
  EXPECT_EQ(static_cast<std::int64_t>(fs::file_size(blob)), written.descriptor.size);
  const auto sums = testing::run_command(
      {.argv = {"sh", "-c",
                "sha256sum < '" + blob.string() + "'; gzip -dc '" + blob.string() +
                    "' | sha256sum; tar --numeric-owner -tvzf '" + blob.string() + "'"}});
  ASSERT_EQ(sums.exit_code, 0) << sums.err;
  EXPECT_EQ(sums.out.substr(0, 64), written.descriptor.digest.hex());
  EXPECT_NE(sums.out.find(written.diff_id.hex()), std::string::npos);
  EXPECT_NE(sums.out.find("rwxr-xr-x 584792/0"), std::string::npos) << sums.out;
  EXPECT_NE(sums.out.find("usr/bin/alias -> tool"), std::string::npos);
  // third reads back as again does: a link; tool has another owner: a file of its own.
  EXPECT_NE(sums.out.find("usr/bin/third link to usr/bin/again"), std::string::npos) << sums.out;
  EXPECT_EQ(sums.out.find("usr/bin/tool link to"), std::string::npos) << sums.out;
  EXPECT_NE(sums.out.find("deep/" + long_name + "/" + long_name), std::string::npos);
  EXPECT_NE(sums.out.find("2023-11-14"), std::string::npos);
}

TEST(LayerWriterTest, TheSameTreeGivesTheSameBytes) {
  sdk::TemporaryDirectory dir("gantry-layer-");
  testing::write_file(dir.path() / "tree/a/b", "content\n");
  fs::create_directories(dir.path() / "one");
  fs::create_directories(dir.path() / "two");
  LayerWriter first(dir.path() / "one");
  add_tree(first.tar(), dir.path() / "tree");
  const auto a = first.finish();
  ::sleep(1);
  fs::last_write_time(dir.path() / "tree/a/b", fs::file_time_type::clock::now());
  LayerWriter second(dir.path() / "two");
  add_tree(second.tar(), dir.path() / "tree");
  EXPECT_EQ(second.finish().descriptor.digest, a.descriptor.digest);
}

TEST(LayerWriterTest, ALevelISALHasNotIsRefusedBeforeAnythingStarts) {
  sdk::TemporaryDirectory dir("gantry-layer-");
  try {
    LayerWriter layer(dir.path(), 7);
    FAIL() << "level 7 accepted";
  } catch (const OciError& error) {
    EXPECT_NE(std::string(error.what()).find("no compression level 7"), std::string::npos);
  }
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(LayerWriterTest, TheCompressorFingerprintIsTheSameEachTime) {
  const auto& fingerprint = LayerWriter::compressor_fingerprint();
  EXPECT_EQ(fingerprint.size(), 16U);
  EXPECT_EQ(fingerprint.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(&LayerWriter::compressor_fingerprint(), &fingerprint);
}

TEST(LayerWriterTest, ACancelStopsTheLayerBetweenEntriesAndLeavesNoFile) {
  sdk::TemporaryDirectory dir("gantry-layer-");
  for (int i = 0; i < 20; ++i) {
    testing::write_file(dir.path() / "tree" / ("file-" + std::to_string(i)),
                        std::string(300000, static_cast<char>('a' + i)));
  }
  fs::create_directories(dir.path() / "blobs");
  int asked = 0;
  try {
    LayerWriter layer(dir.path() / "blobs");
    add_tree(layer.tar(), dir.path() / "tree", {.cancelled = [&] { return ++asked > 12; }});
    FAIL() << "the layer was finished";
  } catch (const Cancelled&) {
  }
  EXPECT_EQ(asked, 13);  // asked before each entry, and no more once it said yes
  EXPECT_TRUE(fs::is_empty(dir.path() / "blobs"));
}

TEST(LayerWriterTest, AWriteThatFailsFailsTheLayerAndLeavesNoFile) {
  sdk::TemporaryDirectory dir("gantry-layer-");
  std::mt19937 generator(7);
  std::string noise(3U << 20, '\0');
  for (auto& byte : noise) {
    byte = static_cast<char>(generator() & 0xFFU);
  }
  testing::write_file(dir.path() / "tree/noise", noise);  // stored: the blob is ~3 MiB
  fs::create_directories(dir.path() / "blobs");
  std::string message;
  {
    const testing::FileSizeLimit full_disk(1U << 20);  // writes past 1 MiB fail
    ASSERT_TRUE(full_disk.applied());
    try {
      LayerWriter layer(dir.path() / "blobs");
      add_tree(layer.tar(), dir.path() / "tree");
      (void)layer.finish();
    } catch (const Error& error) {
      message = error.what();
    }
  }
  EXPECT_NE(message.find("cannot write"), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(dir.path() / "blobs"));
}

}  // namespace
}  // namespace gantry::oci
