#include "juju_status.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "duration.hpp"
#include "gantry/sdk/error.hpp"
#include "refresh_arguments.hpp"

namespace gantry::juju {
namespace {

const std::filesystem::path kFixtures =
    std::filesystem::path(GANTRY_SOURCE_DIR) / "tests" / "integration" / "fixtures" / "juju";

ApplicationStatus fixture(const std::string& name) {
  return *find_application(testing::read_file(kFixtures / name), "myapp");
}

TEST(JujuStatusTest, ReadsTheApplicationAndItsUnits) {
  const auto status = fixture("status-local-r4-upgrading.json");
  EXPECT_EQ(status.charm, "local:myapp-4");
  EXPECT_EQ(status.charm_origin, "local");
  EXPECT_EQ(status.charm_rev, 4);
  ASSERT_EQ(status.units.size(), 1U);
  EXPECT_EQ(status.units[0].name, "myapp/0");
  EXPECT_EQ(status.units[0].workload, "maintenance");
  EXPECT_EQ(status.units[0].upgrading_from, "local:myapp-3");
  EXPECT_FALSE(find_application(testing::read_file(kFixtures / "status-empty.json"), "myapp"));
  EXPECT_THROW((void)find_application("not json", "myapp"), Error);
}

TEST(JujuStatusTest, SettledOnlyWhenActiveIdleAndOnTheTargetRevision) {
  EXPECT_EQ(assess(fixture("status-local-r4-active.json"), 4).state, Settling::State::kSettled);
  EXPECT_EQ(assess(fixture("status-local-r3.json"), 4).state, Settling::State::kWaiting);
  EXPECT_EQ(assess(fixture("status-local-r4-upgrading.json"), 4).state, Settling::State::kWaiting);
  const auto blocked = assess(fixture("status-local-r4-blocked.json"), 4);
  EXPECT_EQ(blocked.state, Settling::State::kFailed);
  EXPECT_EQ(blocked.detail,
            "myapp/0 is blocked: migrate.sh failed: relation \"users\" does not exist");
}

TEST(JujuStatusTest, ReadsResourcesAsJujuListsThem) {
  const auto resources = parse_resources(testing::read_file(kFixtures / "resources-r3.json"));
  ASSERT_EQ(resources.size(), 1U);
  EXPECT_EQ(resources[0].name, "flask-app-image");
  EXPECT_EQ(resources[0].type, "oci-image");
  EXPECT_EQ(resources[0].revision, "3");
}

TEST(DurationTest, ReadsGoStyleDurations) {
  EXPECT_EQ(parse_duration("10m"), std::chrono::minutes(10));
  EXPECT_EQ(parse_duration("1h30m"), std::chrono::minutes(90));
  EXPECT_EQ(parse_duration("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(parse_duration("45"), std::chrono::seconds(45));
  EXPECT_THROW((void)parse_duration("ten minutes"), Error);
  EXPECT_THROW((void)parse_duration("5d"), Error);
}

TEST(RefreshArgumentsTest, SplitsResourcesAndRefusesMalformedOnes) {
  EXPECT_EQ(split_resource("app-image=host/repo:0.2"),
            (std::pair<std::string, std::string>{"app-image", "host/repo:0.2"}));
  EXPECT_THROW((void)split_resource("app-image"), Error);
  EXPECT_THROW((void)split_resource("=x"), Error);
}

}  // namespace
}  // namespace gantry::juju
