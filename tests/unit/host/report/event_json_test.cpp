#include "report/event_json.hpp"

#include <gtest/gtest.h>

namespace gantry::host {
namespace {

TEST(EventJsonTest, FormatsTimesAsRfc3339Utc) {
  EXPECT_EQ(format_time(1'764'033'451'123'456), "2025-11-25T01:17:31.123456Z");
}

TEST(EventJsonTest, ALogEventNamesRunStepLevelAndStream) {
  v1::RunEvent event;
  event.set_time_unix_micros(1'764'033'451'000'000);
  event.mutable_log()->set_level(v1::LOG_LEVEL_WARNING);
  event.mutable_log()->set_stream(v1::LOG_STREAM_STDERR);
  event.mutable_log()->set_message("disk almost full");
  const auto json = EventJson("run-1").step_event("build", event);
  EXPECT_EQ(json.dump(), R"({"time":"2025-11-25T01:17:31.000000Z","run":"run-1","event":"log",)"
                         R"("level":"warning","stream":"stderr","message":"disk almost full",)"
                         R"("step":"build"})");
}

TEST(EventJsonTest, AFinishedStepCarriesStateOutputsAndResolution) {
  StepReport report;
  report.id = "push";
  report.uses = "oci-push";
  report.state = StepState::kFailed;
  report.result.set_message("401 Unauthorized");
  report.result.set_resolution("Log in.");
  report.elapsed = std::chrono::milliseconds(1500);
  const auto json = EventJson("r").step_finished(report);
  EXPECT_EQ(json["event"], "step-finished");
  EXPECT_EQ(json["state"], "failed");
  EXPECT_EQ(json["elapsed_ms"], 1500);
  EXPECT_EQ(json["message"], "401 Unauthorized");
  EXPECT_EQ(json["resolution"], "Log in.");
}

}  // namespace
}  // namespace gantry::host
