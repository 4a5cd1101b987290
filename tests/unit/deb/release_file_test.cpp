#include "gantry/deb/release_file.hpp"

#include <gtest/gtest.h>

#include "deb_error_text.hpp"

namespace gantry::deb {
namespace {

using namespace std::chrono;
using testing::error_of;
using testing::resolution_of;

constexpr std::string_view kHashes =
    "SHA256:\n"
    " 0000000000000000000000000000000000000000000000000000000000000000 0 main/Packages\n";

sys_seconds utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TEST(ReleaseFileTest, ParsesDatesAsAptWritesThem) {
  EXPECT_EQ(parse_release_date("Sat, 01 Jan 2000 00:00:00 UTC"), utc(2000, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse_release_date("Mon, 10 Jun 2024 14:32:07 +0000"), utc(2024, 6, 10, 14, 32, 7));
  EXPECT_EQ(parse_release_date("tue, 9 feb 2021 23:59:59 GMT"), utc(2021, 2, 9, 23, 59, 59));
  EXPECT_EQ(parse_release_date("Wed, 29 Feb 2012 12:00:00 Z"), utc(2012, 2, 29, 12, 0, 0));
}

TEST(ReleaseFileTest, RefusesDatesAptRefuses) {
  for (const auto* text :
       {"", "2000-01-01T00:00:00Z", "Sat, 01 Jan 2000 00:00:00", "Sat, 01 Jan 2000 00:00:00 +0200",
        "Sat, 01 Jan 2000 00:00:00 CET", "Saturday, 01 Jan 2000 00:00:00 UTC",
        "Sat 01 Jan 2000 00:00:00 UTC", "Sat, 01 Foo 2000 00:00:00 UTC",
        "Sat, 30 Feb 2000 00:00:00 UTC", "Sat, 01 Jan 2000 24:00:00 UTC",
        "Sat, 01 Jan 2000 0:00:00 UTC", "Sat, 01 Jan 2000 00:00:00 UTC extra",
        "Sat, -1 Jan 2000 00:00:00 UTC"}) {
    EXPECT_EQ(parse_release_date(text), std::nullopt) << text;
  }
}

TEST(ReleaseFileTest, PrintsDurationsAsApt) {
  EXPECT_EQ(apt_duration(seconds(4)), "4s");
  EXPECT_EQ(apt_duration(seconds(60)), "60s");  // apt switches units only past one
  EXPECT_EQ(apt_duration(seconds(3 * 60 + 4)), "3min 4s");
  EXPECT_EQ(apt_duration(seconds(2 * 3600 + 3 * 60 + 4)), "2h 3min 4s");
  EXPECT_EQ(apt_duration(seconds(86400 + 2 * 3600 + 3 * 60 + 4)), "1d 2h 3min 4s");
  EXPECT_EQ(apt_duration(seconds(86400)), "24h 0min 0s");
}

TEST(ReleaseFileTest, KeepsDateAndValidUntil) {
  const auto release = parse_release(
      "Date: Sat, 01 Jan 2000 00:00:00 UTC\nValid-Until: Sat, 08 Jan 2000 00:00:00 UTC\n" +
          std::string(kHashes),
      "InRelease");
  EXPECT_EQ(release.date, "Sat, 01 Jan 2000 00:00:00 UTC");
  EXPECT_EQ(release.valid_until, "Sat, 08 Jan 2000 00:00:00 UTC");
}

TEST(ReleaseFileTest, AnExpiredReleaseIsRefusedWithHowLongAgo) {
  const auto release = parse_release(
      "Date: Sat, 01 Jan 2000 00:00:00 UTC\nValid-Until: Sat, 08 Jan 2000 00:00:00 UTC\n" +
          std::string(kHashes),
      "InRelease");
  const std::string url = "http://mirror.example/debian/dists/stable/InRelease";
  const auto message = error_of([&] { check_not_expired(release, url, utc(2000, 1, 9, 2, 3, 4)); });
  EXPECT_NE(message.find("the Release file for " + url +
                         " is expired (invalid since 1d 2h 3min 4s; Valid-Until: Sat, 08 Jan "
                         "2000 00:00:00 UTC, Date: Sat, 01 Jan 2000 00:00:00 UTC)"),
            std::string::npos)
      << message;
  const auto resolution =
      resolution_of([&] { check_not_expired(release, url, utc(2000, 1, 9, 2, 3, 4)); });
  EXPECT_NE(resolution.find("replaying old indexes"), std::string::npos) << resolution;
  EXPECT_NE(resolution.find("[check-valid-until=no]"), std::string::npos) << resolution;
  EXPECT_NE(resolution.find("Acquire::Check-Valid-Until \"false\";"), std::string::npos)
      << resolution;
}

TEST(ReleaseFileTest, AReleaseStillValidOrWithoutValidUntilPasses) {
  const auto release = parse_release(
      "Valid-Until: Sat, 08 Jan 2000 00:00:00 UTC\n" + std::string(kHashes), "InRelease");
  EXPECT_EQ(error_of([&] { check_not_expired(release, "u", utc(2000, 1, 7, 0, 0, 0)); }),
            "(no error)");
  EXPECT_EQ(error_of([&] { check_not_expired(release, "u", utc(2000, 1, 8, 0, 0, 0)); }),
            "(no error)");
  const auto forever = parse_release(std::string(kHashes), "InRelease");
  EXPECT_EQ(error_of([&] { check_not_expired(forever, "u", utc(2999, 1, 1, 0, 0, 0)); }),
            "(no error)");
}

TEST(ReleaseFileTest, AMalformedValidUntilIsRefused) {
  const auto release =
      parse_release("Valid-Until: next week\n" + std::string(kHashes), "InRelease");
  const auto message = error_of([&] { check_not_expired(release, "u", utc(2000, 1, 1, 0, 0, 0)); });
  EXPECT_NE(message.find("the Release file for u has an invalid Valid-Until 'next week'"),
            std::string::npos)
      << message;
}

}  // namespace
}  // namespace gantry::deb
