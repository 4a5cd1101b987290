#include "gantry/oci/image_reference.hpp"

#include <gtest/gtest.h>

#include "gantry/oci/image_location.hpp"
#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

TEST(ImageReferenceTest, ReadsHostPortRepositoryAndTag) {
  const auto reference = ImageReference::parse("localhost:32000/team/myapp:0.2");
  EXPECT_EQ(reference.registry, "localhost:32000");
  EXPECT_EQ(reference.repository, "team/myapp");
  EXPECT_EQ(reference.tag, "0.2");
  EXPECT_FALSE(reference.digest);
  EXPECT_EQ(reference.str(), "localhost:32000/team/myapp:0.2");
}

TEST(ImageReferenceTest, NamesWithoutAHostAreOnDockerHub) {
  const auto reference = ImageReference::parse("ubuntu");
  EXPECT_EQ(reference.registry, "docker.io");
  EXPECT_EQ(reference.repository, "library/ubuntu");
  EXPECT_EQ(reference.tag, "latest");
  EXPECT_EQ(reference.api_host(), "registry-1.docker.io");
}

TEST(ImageReferenceTest, ReadsADigestAndPinsByIt) {
  const std::string digest =
      "sha256:9c48af3c4b86161b83974e851d9a5099a869398f435d42d0e91ed5326955a0ca";
  const auto reference = ImageReference::parse("127.0.0.1:5000/app@" + digest);
  EXPECT_EQ(reference.tag, "");
  ASSERT_TRUE(reference.digest);
  EXPECT_EQ(reference.manifest_reference(), digest);
  EXPECT_EQ(reference.pinned(*reference.digest), "127.0.0.1:5000/app@" + digest);
}

TEST(ImageReferenceTest, RefusesWhatTheDistributionGrammarForbids) {
  try {
    (void)ImageReference::parse("localhost:5000/MyApp:0.2");
    FAIL() << "expected an error";
  } catch (const OciError& error) {
    EXPECT_STREQ(error.what(),
                 "invalid image reference 'localhost:5000/MyApp:0.2': repository part 'MyApp' "
                 "must be lower-case letters and digits, separated by . _ or -");
  }
  EXPECT_THROW((void)ImageReference::parse("localhost:5000/app:bad/tag"), OciError);
  EXPECT_THROW((void)ImageReference::parse("localhost:5000/app@sha256:short"), OciError);
  EXPECT_THROW((void)ImageReference::parse(""), OciError);
}

TEST(ImageLocationTest, ReadsEverySkopeoTransport) {
  const auto archive = ImageLocation::parse("oci-archive:app_0.2_amd64.rock:0.2");
  EXPECT_EQ(archive.transport, ImageLocation::Transport::kOciArchive);
  EXPECT_EQ(archive.path, "app_0.2_amd64.rock");
  EXPECT_EQ(archive.tag, "0.2");
  const auto layout = ImageLocation::parse("oci:/tmp/layout");
  EXPECT_EQ(layout.transport, ImageLocation::Transport::kOciLayout);
  EXPECT_EQ(layout.tag, "");
  const auto registry = ImageLocation::parse("docker://localhost:32000/app:0.2");
  EXPECT_EQ(registry.reference.registry, "localhost:32000");
  const auto daemon = ImageLocation::parse("docker-daemon:myapp:0.2");
  EXPECT_EQ(daemon.transport, ImageLocation::Transport::kDockerDaemon);
  EXPECT_EQ(daemon.reference.tag, "0.2");
}

TEST(ImageLocationTest, UnknownOrMalformedTransportsSayWhatIsAccepted) {
  try {
    (void)ImageLocation::parse("containers-storage:app");
    FAIL() << "expected an error";
  } catch (const OciError& error) {
    EXPECT_STREQ(error.what(),
                 "unknown transport 'containers-storage' in 'containers-storage:app'");
    EXPECT_NE(error.resolution().find("oci-archive:PATH[:TAG]"), std::string::npos);
  }
  EXPECT_THROW((void)ImageLocation::parse("docker:localhost/app"), OciError);
  EXPECT_THROW((void)ImageLocation::parse("app.rock"), OciError);
  EXPECT_THROW((void)ImageLocation::parse("oci-archive:"), OciError);
}

}  // namespace
}  // namespace gantry::oci
