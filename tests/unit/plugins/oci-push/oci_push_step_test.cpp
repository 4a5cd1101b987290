#include "oci_push_step.hpp"

#include <gtest/gtest.h>

#include "gantry/sdk/fake_context.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/value.hpp"
#include "test_image.hpp"

namespace gantry::oci_push {
namespace {

using sdk::string_value;

class OciPushStepTest : public ::testing::Test {
 protected:
  OciPushStepTest() { fake_.working_directory(dir_.path()); }

  sdk::TemporaryDirectory dir_;
  sdk::FakeContext fake_;
  OciPushStep step_;
};

TEST_F(OciPushStepTest, CopiesALayoutIntoAnArchiveResolvingRelativePaths) {
  const auto image = testing::write_test_layout(dir_.path() / "layout", "0.2", {5000, 10});
  fake_.set("source", string_value("oci:layout:0.2"))
      .set("destination", string_value("oci-archive:app.rock:0.2"));
  const auto result = fake_.run(step_);
  ASSERT_EQ(result.outcome(), v1::OUTCOME_OK) << result.message();
  EXPECT_EQ(result.outputs().at("digest"), image.manifest_digest.str());
  EXPECT_EQ(result.outputs().at("reference"),
            "oci-archive:" + (dir_.path() / "app.rock").string() + ":0.2");
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "app.rock"));
  ASSERT_EQ(fake_.artifacts().size(), 1U);
  EXPECT_EQ(fake_.artifacts()[0].kind(), "oci-image");
  EXPECT_EQ(fake_.artifacts()[0].digest(), image.manifest_digest.str());
  bool progressed = false;
  for (const auto& event : fake_.events()) {
    progressed = progressed ||
                 (event.has_progress() && event.progress().unit() == "bytes" &&
                  event.progress().current() == static_cast<std::uint64_t>(image.layers[0].size));
  }
  EXPECT_TRUE(progressed) << "a progress event reports the layer's bytes";
}

TEST_F(OciPushStepTest, RefusesJobsOutsideItsRange) {
  fake_.set("source", string_value("oci:x"))
      .set("destination", string_value("oci:y"))
      .set("jobs", sdk::int_value(0));
  const auto result = fake_.run(step_);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  ASSERT_EQ(fake_.diagnostics().size(), 1U);
  EXPECT_EQ(fake_.diagnostics()[0].summary(),
            "parameter 'jobs' of step 'oci-push' is 0, but must be from 1 to 64");
}

TEST_F(OciPushStepTest, ABadLocationIsAFailureNamingIt) {
  fake_.set("source", string_value("tarball:x.tar")).set("destination", string_value("oci:y"));
  EXPECT_EQ(fake_.run(step_).message(), "unknown transport 'tarball' in 'tarball:x.tar'");
}

}  // namespace
}  // namespace gantry::oci_push
