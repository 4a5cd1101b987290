#include "stale_image_guard.hpp"

#include <gtest/gtest.h>

#include "gantry/sdk/error.hpp"

namespace gantry::juju {
namespace {

const std::string kOld = "sha256:" + std::string(64, 'a');
const std::string kNew = "sha256:" + std::string(64, 'b');

DigestLookup names(const std::string& digest) {
  return [digest](const oci::ImageReference&) { return oci::Digest::parse(digest); };
}

ImageVerdict judge(const std::string& value, const std::optional<DeployedImage>& deployed,
                   const std::string& revision, const DigestLookup& lookup) {
  return judge_image("myapp", "flask-app-image", oci::ImageReference::parse(value), deployed,
                     revision, lookup);
}

TEST(StaleImageGuardTest, TheSameTagNamingAnotherImageIsStale) {
  const auto verdict =
      judge("localhost:32000/myapp:0.2", DeployedImage{"localhost:32000/myapp:0.2", kOld, "3"}, "3",
            names(kNew));
  EXPECT_EQ(verdict.kind, ImageVerdict::Kind::kStale);
  EXPECT_EQ(verdict.digest->str(), kNew);
}

TEST(StaleImageGuardTest, TheSameTagAndImageIsSafe) {
  EXPECT_EQ(judge("localhost:32000/myapp:0.2",
                  DeployedImage{"localhost:32000/myapp:0.2", kOld, "3"}, "3", names(kOld))
                .kind,
            ImageVerdict::Kind::kSafe);
}

TEST(StaleImageGuardTest, ADigestIsSafeWithoutAskingTheRegistry) {
  const auto verdict =
      judge("localhost:32000/myapp@" + kNew, std::nullopt, "3",
            [](const oci::ImageReference&) -> oci::Digest { throw Error("must not be asked"); });
  EXPECT_EQ(verdict.kind, ImageVerdict::Kind::kSafe);
  EXPECT_EQ(verdict.digest->str(), kNew);
}

TEST(StaleImageGuardTest, ANewTagIsSafe) {
  EXPECT_EQ(judge("localhost:32000/myapp:0.3",
                  DeployedImage{"localhost:32000/myapp:0.2", kOld, "3"}, "3", names(kNew))
                .kind,
            ImageVerdict::Kind::kSafe);
}

TEST(StaleImageGuardTest, ARecordJujuNoLongerMatchesCannotBeTrusted) {
  const auto verdict =
      judge("localhost:32000/myapp:0.2", DeployedImage{"localhost:32000/myapp:0.2", kOld, "3"}, "5",
            names(kNew));
  EXPECT_EQ(verdict.kind, ImageVerdict::Kind::kUnknown);
  EXPECT_NE(verdict.message.find("deploying by digest is always safe"), std::string::npos);
}

TEST(StaleImageGuardTest, AnUnreachableRegistryIsUnknownNotFatal) {
  const auto verdict =
      judge("localhost:32000/myapp:0.2", std::nullopt, "3",
            [](const oci::ImageReference&) -> oci::Digest { throw Error("connection refused"); });
  EXPECT_EQ(verdict.kind, ImageVerdict::Kind::kUnknown);
  EXPECT_NE(verdict.message.find("connection refused"), std::string::npos);
}

}  // namespace
}  // namespace gantry::juju
