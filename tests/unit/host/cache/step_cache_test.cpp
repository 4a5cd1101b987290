// The step cache as an unlucky user or an attacker meets it: entries and copies that were
// tampered with, artifacts removed or edited, secrets, a bounded size.
#include "cache/step_cache.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::host {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

class StepCacheTest : public ::testing::Test {
 protected:
  StepCacheTest() {
    description_.set_name("packer");
    description_.set_version("1.0.0");
    description_.add_capabilities(kCacheableCapability);
    auto* project = description_.add_params();
    project->set_name("project");
    project->set_type(v1::PARAM_TYPE_PATH);
    auto* token = description_.add_params();
    token->set_name("token");
    token->set_type(v1::PARAM_TYPE_STRING);
    token->set_secret(true);
    params_["project"] = sdk::string_value((dir_.path() / "project").string());
    params_["token"] = sdk::string_value("s3cret-token");
    write(dir_.path() / "project/app.py", "print('hi')\n");
  }

  /// A run that wrote `artifact` with `content`, stored; its key.
  std::string stored_run(const std::string& content) {
    write(artifact_, content);
    const auto key = cache_.key(description_, params_, dir_.path());
    EXPECT_TRUE(key.has_value());
    v1::Result result;
    result.set_outcome(v1::OUTCOME_OK);
    (*result.mutable_outputs())["file"] = artifact_.string();
    v1::Artifact made;
    made.set_kind("file");
    made.set_path(artifact_.string());
    cache_.store(*key, result, {made}, "run-1");
    return *key;
  }

  sdk::TemporaryDirectory dir_{"gantry-step-cache-test-"};
  StepCache cache_ = StepCache::in(dir_.path());
  fs::path artifact_ = dir_.path() / "out.bin";
  v1::StepDescription description_;
  google::protobuf::Map<std::string, v1::Value> params_;
};

TEST_F(StepCacheTest, AHitGivesBackTheOutputsAndARemovedArtifact) {
  const auto key = stored_run("packed\n");
  fs::remove(artifact_);
  const auto hit = cache_.find(key);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->result.outputs().at("file"), artifact_.string());
  EXPECT_EQ(read(artifact_), "packed\n");
}

TEST_F(StepCacheTest, AnInputChangeIsAnotherKey) {
  const auto key = stored_run("packed\n");
  write(dir_.path() / "project/app.py", "print('changed')\n");
  EXPECT_NE(cache_.key(description_, params_, dir_.path()), key);
  // Build state and packed artifacts in the project are not inputs.
  write(dir_.path() / "project/app.py", "print('hi')\n");
  write(dir_.path() / "project/.gantry/runs/x/events.jsonl", "{}\n");
  write(dir_.path() / "project/app_1_amd64.rock", "rock");
  EXPECT_EQ(cache_.key(description_, params_, dir_.path()), key);
}

TEST_F(StepCacheTest, ATamperedCopyIsNeverPutBackAndAnEditedArtifactIsAMiss) {
  const auto key = stored_run("packed\n");
  for (const auto& copy : fs::directory_iterator(cache_.dir() / "artifacts")) {
    fs::remove(copy.path());
    write(copy.path(), "evil\n");
  }
  write(artifact_, "edited by hand\n");
  EXPECT_FALSE(cache_.find(key).has_value());
  EXPECT_EQ(read(artifact_), "edited by hand\n");
}

TEST_F(StepCacheTest, AnUnreadableEntryIsAMissNotACrash) {
  const auto key = stored_run("packed\n");
  write(cache_.dir() / "steps" / (key + ".json"), "{\"run\": 3, \"outputs\": [");
  EXPECT_FALSE(cache_.find(key).has_value());
  write(cache_.dir() / "steps" / (key + ".json"), "[]");
  EXPECT_FALSE(cache_.find(key).has_value());
}

TEST_F(StepCacheTest, SecretsNeverReachTheCacheDirectory) {
  (void)stored_run("packed\n");
  for (const auto& file : fs::recursive_directory_iterator(cache_.dir())) {
    if (file.is_regular_file()) {
      EXPECT_EQ(read(file.path()).find("s3cret-token"), std::string::npos) << file.path();
    }
  }
}

TEST_F(StepCacheTest, OnlyCacheableStepsWithArtifactsAreStored) {
  v1::StepDescription plain = description_;
  plain.clear_capabilities();
  EXPECT_FALSE(cache_.key(plain, params_, dir_.path()).has_value());
  const auto key = cache_.key(description_, params_, dir_.path());
  v1::Result result;
  result.set_outcome(v1::OUTCOME_OK);
  cache_.store(*key, result, {}, "run-1");  // a `clean`: nothing to give back
  EXPECT_FALSE(cache_.find(*key).has_value());
}

TEST_F(StepCacheTest, PruneRemovesTheLeastRecentlyUsedUntilItFits) {
  const auto first = stored_run(std::string(4096, 'a'));
  params_["token"] = sdk::string_value("another");
  const auto second = stored_run(std::string(4096, 'b'));
  fs::last_write_time(cache_.dir() / "steps" / (first + ".json"),
                      fs::file_time_type::clock::now() - std::chrono::hours(1));
  const auto report = cache_.prune(6000);
  EXPECT_EQ(report.entries_removed, 1U);
  EXPECT_LE(report.bytes_after, 6000U);
  EXPECT_FALSE(fs::exists(cache_.dir() / "steps" / (first + ".json")));
  EXPECT_TRUE(fs::exists(cache_.dir() / "steps" / (second + ".json")));
}

}  // namespace
}  // namespace gantry::host
