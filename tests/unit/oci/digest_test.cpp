#include "gantry/oci/digest.hpp"

#include <gtest/gtest.h>

#include "auth_challenge.hpp"
#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

TEST(DigestTest, HashesLikeSha256sum) {
  EXPECT_EQ(sha256_of("abc").str(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 incremental;
  incremental.update("a");
  incremental.update("bc");
  EXPECT_EQ(incremental.finish(), sha256_of("abc"));
}

TEST(DigestTest, RefusesMalformedDigests) {
  EXPECT_THROW((void)Digest::parse("sha256:ABC"), Error);
  EXPECT_THROW((void)Digest::parse("md5:" + std::string(32, 'a')), Error);
  EXPECT_THROW((void)Digest::parse("nocolon"), Error);
  // Digests name files: nothing that could climb out of blobs/ gets through.
  EXPECT_THROW((void)Digest::parse("sha512:../../../../tmp/x"), Error);
  EXPECT_THROW((void)Digest::parse("sha512:" + std::string(128, 'a')), Error);
  EXPECT_THROW((void)Digest::parse("../x:" + std::string(64, 'a')), Error);
  EXPECT_THROW((void)Digest::parse("sha256:" + std::string(63, 'a') + "/"), Error);
  EXPECT_THROW((void)Digest::parse("sha256:" + std::string(65, 'a')), Error);
  EXPECT_EQ(Digest::parse("sha256:" + std::string(64, 'a')).hex(), std::string(64, 'a'));
}

TEST(AuthChallengeTest, ReadsABearerChallengeWithQuotedCommas) {
  const auto challenges = parse_www_authenticate(
      R"(Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push")");
  ASSERT_EQ(challenges.size(), 1U);
  EXPECT_EQ(challenges[0].scheme, "bearer");
  EXPECT_EQ(challenges[0].params.at("realm"), "https://auth.example/token");
  EXPECT_EQ(challenges[0].params.at("service"), "registry.example");
  EXPECT_EQ(challenges[0].params.at("scope"), "repository:a/b:pull,push");
}

TEST(AuthChallengeTest, ReadsBasic) {
  const auto challenges = parse_www_authenticate(R"(Basic realm="gantry-test")");
  ASSERT_EQ(challenges.size(), 1U);
  EXPECT_EQ(challenges[0].scheme, "basic");
  EXPECT_EQ(challenges[0].params.at("realm"), "gantry-test");
}

}  // namespace
}  // namespace gantry::oci
