#include "gantry/net/origin.hpp"

#include <gtest/gtest.h>

namespace gantry::net {
namespace {

TEST(OriginTest, IsSchemeHostAndPortWithDefaults) {
  const auto origin = Origin::of("https://User:pw@Registry.Example/v2/?x=1");
  ASSERT_TRUE(origin);
  EXPECT_EQ(origin->str(), "https://registry.example:443");
  EXPECT_EQ(Origin::of("http://127.0.0.1:5000/v2/")->port, 5000);
  EXPECT_EQ(Origin::of("http://[::1]:80/")->host, "[::1]");
  EXPECT_FALSE(Origin::of("ftp://host/file"));
  EXPECT_FALSE(Origin::of("file:///etc/passwd"));
  EXPECT_FALSE(Origin::of("http://host:99999/"));
}

TEST(OriginTest, AnotherPortOrSchemeIsAnotherOrigin) {
  const auto registry = Origin::of("http://127.0.0.1:5000/v2/");
  EXPECT_EQ(registry, Origin::of("http://127.0.0.1:5000/v2/app/blobs/uploads/x"));
  EXPECT_NE(registry, Origin::of("http://127.0.0.1:5001/v2/"));
  EXPECT_NE(registry, Origin::of("https://127.0.0.1:5000/v2/"));
  EXPECT_NE(registry, Origin::of("http://127.0.0.1.evil.example:5000/"));
}

TEST(OriginTest, KnowsLoopback) {
  EXPECT_TRUE(Origin::of("http://127.0.0.1:1/")->is_loopback());
  EXPECT_TRUE(Origin::of("http://localhost/")->is_loopback());
  EXPECT_TRUE(Origin::of("http://[::1]/")->is_loopback());
  EXPECT_FALSE(Origin::of("http://10.0.0.1/")->is_loopback());
}

TEST(OriginTest, ResolvesLocationsAndHidesCredentials) {
  EXPECT_EQ(resolve_url("http://h:1/v2/", "/v2/app/blobs/uploads/u?_state=s"),
            "http://h:1/v2/app/blobs/uploads/u?_state=s");
  EXPECT_EQ(resolve_url("http://h:1/v2/", "https://other/x"), "https://other/x");
  EXPECT_EQ(without_credentials("https://user:pw@mirror/debian"), "https://mirror/debian");
  EXPECT_EQ(without_credentials("https://mirror/a@b"), "https://mirror/a@b");
}

}  // namespace
}  // namespace gantry::net
