#include "gantry/oci/layout_source.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "command.hpp"
#include "gantry/oci/image_copier.hpp"
#include "gantry/oci/layout_destination.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "test_image.hpp"

namespace gantry::oci {
namespace {

using testing::read_file;
using testing::write_test_archive;
using testing::write_test_layout;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

/// Flips one byte at `offset` of `file`.
void corrupt(const std::filesystem::path& file, std::uint64_t offset) {
  std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
  stream.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  stream.read(&byte, 1);
  stream.seekp(static_cast<std::streamoff>(offset));
  byte = static_cast<char>(byte ^ 0x5A);
  stream.write(&byte, 1);
}

class LayoutSourceTest : public ::testing::Test {
 protected:
  sdk::TemporaryDirectory dir_;
};

TEST_F(LayoutSourceTest, ReadsTheOnlyImageOfAnArchiveWithoutExtractingIt) {
  const auto image = write_test_archive(dir_.path() / "app.rock", "0.2", {1000, 70000});
  const auto source = LayoutSource::open_archive(image.location, "");
  EXPECT_EQ(source->manifest_descriptor().digest, image.manifest_digest);
  ASSERT_EQ(source->manifest().layers.size(), 2U);
  EXPECT_EQ(source->manifest().layers[1].digest, image.layers[1].digest);
  VerifyingReader reader(source->open_blob(image.layers[1]), image.layers[1], "layer");
  EXPECT_EQ(read_all(reader).size(), static_cast<std::size_t>(image.layers[1].size));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_.path()),
                          std::filesystem::directory_iterator()),
            1)
      << "nothing was extracted beside the archive";
}

TEST_F(LayoutSourceTest, ChoosesTheImageByTagAndListsTheTagsWhenItIsMissing) {
  write_test_layout(dir_.path() / "layout", "0.2", {10});
  const auto image = write_test_layout(dir_.path() / "layout", "0.3", {20}, 2);
  // write_test_layout rewrote index.json with only 0.3: add 0.2 back by hand.
  testing::write_file(
      dir_.path() / "layout" / "index.json",
      serialize_index({parse_index(read_file(dir_.path() / "layout" / "index.json"), "index")
                           .manifests.front()}));
  EXPECT_EQ(
      LayoutSource::open_directory(dir_.path() / "layout", "0.3")->manifest_descriptor().digest,
      image.manifest_digest);
  EXPECT_EQ(error_of([&] { (void)LayoutSource::open_directory(dir_.path() / "layout", "9.9"); }),
            "oci:" + (dir_.path() / "layout").string() + " has no image tagged '9.9'");
}

TEST_F(LayoutSourceTest, AnArchiveWithTwoImagesNeedsATag) {
  const auto layout = dir_.path() / "two";
  const auto first = write_test_layout(layout, "0.1", {10});
  const auto first_index = read_file(layout / "index.json");
  write_test_layout(layout, "0.2", {30}, 7);
  auto manifests = parse_index(read_file(layout / "index.json"), "index").manifests;
  manifests.push_back(parse_index(first_index, "index").manifests.front());
  testing::write_file(layout / "index.json", serialize_index(manifests));
  testing::archive_layout(layout, dir_.path() / "two.rock");
  try {
    (void)LayoutSource::open_archive(dir_.path() / "two.rock", "");
    FAIL() << "expected an error";
  } catch (const OciError& error) {
    EXPECT_EQ(std::string(error.what()),
              "oci-archive:" + (dir_.path() / "two.rock").string() + " holds 2 images");
    EXPECT_NE(error.resolution().find("0.2, 0.1"), std::string::npos) << error.resolution();
  }
  EXPECT_EQ(
      LayoutSource::open_archive(dir_.path() / "two.rock", "0.1")->manifest_descriptor().digest,
      first.manifest_digest);
}

TEST_F(LayoutSourceTest, MissingFilesAndNonLayoutsAreClearErrors) {
  EXPECT_EQ(error_of([&] { (void)LayoutSource::open_archive(dir_.path() / "nope.rock", ""); }),
            "archive " + (dir_.path() / "nope.rock").string() + " does not exist");
  testing::write_file(dir_.path() / "empty" / "readme", "x");
  ASSERT_EQ(testing::run_command({.argv = {"tar", "-C", (dir_.path() / "empty").string(), "-cf",
                                           (dir_.path() / "x.tar").string(), "readme"}})
                .exit_code,
            0);
  EXPECT_NE(error_of([&] {
              (void)LayoutSource::open_archive(dir_.path() / "x.tar", "");
            }).find("has no oci-layout"),
            std::string::npos);
}

TEST_F(LayoutSourceTest, ACorruptLayerIsCaughtByItsDigest) {
  const auto image = write_test_layout(dir_.path() / "layout", "0.2", {5000});
  corrupt(dir_.path() / "layout" / "blobs" / "sha256" / image.layers[0].digest.hex(), 2000);
  const auto source = LayoutSource::open_directory(dir_.path() / "layout", "0.2");
  VerifyingReader reader(source->open_blob(image.layers[0]), image.layers[0], "layer 0");
  const auto error = error_of([&] { (void)read_all(reader); });
  EXPECT_TRUE(error.starts_with("layer 0 has digest sha256:")) << error;
  EXPECT_NE(error.find("but its descriptor says " + image.layers[0].digest.str()),
            std::string::npos);
}

TEST_F(LayoutSourceTest, ACorruptManifestIsRefusedWhenOpened) {
  const auto image = write_test_layout(dir_.path() / "layout", "0.2", {10});
  corrupt(dir_.path() / "layout" / "blobs" / "sha256" / image.manifest_digest.hex(), 5);
  EXPECT_NE(error_of([&] {
              (void)LayoutSource::open_directory(dir_.path() / "layout", "");
            }).find("but its descriptor says " + image.manifest_digest.str()),
            std::string::npos);
}

TEST_F(LayoutSourceTest, CopyingToAnArchiveIsReproducibleAndKeepsTheDigest) {
  const auto image = write_test_layout(dir_.path() / "layout", "0.2", {3000, 40000});
  const auto source = LayoutSource::open_directory(dir_.path() / "layout", "0.2");
  for (const auto* name : {"a.rock", "b.rock"}) {
    ArchiveDestination destination(dir_.path() / name, "0.2");
    const auto result = copy_image(*source, destination, {.jobs = 2});
    EXPECT_EQ(result.manifest_digest, image.manifest_digest);
    EXPECT_EQ(result.blobs_sent, 3U);
  }
  EXPECT_EQ(read_file(dir_.path() / "a.rock"), read_file(dir_.path() / "b.rock"));
  EXPECT_EQ(LayoutSource::open_archive(dir_.path() / "a.rock", "0.2")->manifest_descriptor().digest,
            image.manifest_digest);
}

TEST_F(LayoutSourceTest, AFailedCopyLeavesNoArchiveAndAnUnchangedLayout) {
  const auto image = write_test_layout(dir_.path() / "layout", "0.2", {5000});
  corrupt(dir_.path() / "layout" / "blobs" / "sha256" / image.layers[0].digest.hex(), 100);
  const auto source = LayoutSource::open_directory(dir_.path() / "layout", "0.2");
  ArchiveDestination archive(dir_.path() / "out.rock", "0.2");
  EXPECT_THROW((void)copy_image(*source, archive, {}), OciError);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "out.rock"));

  const auto other = write_test_layout(dir_.path() / "target", "0.1", {10}, 3);
  const auto before = read_file(dir_.path() / "target" / "index.json");
  LayoutDestination layout(dir_.path() / "target", "0.2");
  EXPECT_THROW((void)copy_image(*source, layout, {}), OciError);
  EXPECT_EQ(read_file(dir_.path() / "target" / "index.json"), before);
}

}  // namespace
}  // namespace gantry::oci
