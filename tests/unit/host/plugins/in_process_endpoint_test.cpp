#include "plugins/in_process_endpoint.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "command.hpp"
#include "gantry/sdk/fake_context.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "gantry/sdk/value.hpp"
#include "plugins/plugin_error.hpp"

namespace gantry::host {
namespace {

std::filesystem::path test_plugin(const std::string& name) {
  return std::filesystem::path(GANTRY_TEST_PLUGIN_DIR) / name / ("test-" + name + ".so");
}

std::string load_error(const std::filesystem::path& file) {
  try {
    (void)InProcessEndpoint::load(file);
  } catch (const PluginError& error) {
    EXPECT_EQ(error.file(), file);
    return error.what();
  }
  return "loaded";
}

TEST(InProcessEndpointTest, LoadsAPluginAndRunsItsStep) {
  auto endpoint = InProcessEndpoint::load(test_plugin("noop"));
  EXPECT_EQ(endpoint->description().name(), "noop");
  EXPECT_EQ(endpoint->origin(), test_plugin("noop").string());
  sdk::FakeContext sink;
  const auto result = endpoint->run(v1::RunRequest(), sink);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_OK);
  EXPECT_EQ(result.outputs().at("done"), "yes");
  ASSERT_EQ(sink.events().size(), 1U);
  EXPECT_TRUE(sink.events()[0].has_result());
}

/// The plugin whose static constructor ran in this process since the last call, or "".
std::string plugin_code_ran() {
  const char* marker = std::getenv("GANTRY_TEST_PLUGIN_CODE_RAN");
  std::string plugin = marker == nullptr ? "" : marker;
  ::unsetenv("GANTRY_TEST_PLUGIN_CODE_RAN");
  return plugin;
}

TEST(InProcessEndpointTest, RefusesAWrongAbiVersionFromTheFileBeforeRunningAnyOfItsCode) {
  (void)plugin_code_ran();
  const auto file = test_plugin("wrong-abi");
  EXPECT_EQ(load_error(file),
            file.string() + ": plugin ABI version 99, but this gantry loads ABI version 1");
  EXPECT_EQ(plugin_code_ran(), "");
}

TEST(InProcessEndpointTest, RefusesAnEntryTableOfAnotherAbiThanItsNoteOnceLoaded) {
  (void)plugin_code_ran();
  const auto file = test_plugin("table-abi-mismatch");
  EXPECT_EQ(load_error(file),
            file.string() + ": plugin ABI version 99, but this gantry loads ABI version 1");
  // Loaded, unlike wrong-abi: so the marker would have told if wrong-abi's code had run.
  EXPECT_EQ(plugin_code_ran(), "table-abi-mismatch");
}

TEST(InProcessEndpointTest, RefusesAPluginWithoutAnAbiNoteUnloaded) {
  (void)plugin_code_ran();
  const auto file = test_plugin("no-abi-note");
  EXPECT_EQ(load_error(file), file.string() +
                                  ": it carries no ABI version note (.note.gantry.abi): it was "
                                  "built with an older gantry SDK");
  EXPECT_EQ(plugin_code_ran(), "");
}

TEST(InProcessEndpointTest, AThrowingStepBecomesAFailedResultAndTheHostLivesOn) {
  auto endpoint = InProcessEndpoint::load(test_plugin("throwing"));
  sdk::FakeContext sink;
  const auto result = endpoint->run(v1::RunRequest(), sink);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  EXPECT_EQ(result.message(), "internal error in step 'throwing': the disk is made of cheese");
  EXPECT_EQ(sink.log_messages(), (std::vector<std::string>{"about to throw"}));
}

TEST(InProcessEndpointTest, AStepThatReportsNoResultStillEndsWithOneFailedResult) {
  auto endpoint = InProcessEndpoint::load(test_plugin("silent"));
  sdk::FakeContext sink;
  const auto result = endpoint->run(v1::RunRequest(), sink);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  EXPECT_EQ(result.message(), "step 'silent' (" + test_plugin("silent").string() +
                                  ") ended without reporting a result");
  ASSERT_EQ(sink.events().size(), 1U);
  EXPECT_TRUE(sink.events()[0].has_result());
}

TEST(InProcessEndpointTest, AMissingLibraryIsAnErrorNamingIt) {
  const std::filesystem::path file = "/nonexistent/gantry-step-ghost.so";
  EXPECT_TRUE(load_error(file).starts_with(file.string() + ": not a shared library"))
      << load_error(file);
}

TEST(InProcessEndpointTest, AFileThatIsNotALibraryIsRefused) {
  const sdk::TemporaryDirectory dir;
  const auto file = dir.path() / "fake.so";
  testing::write_file(file, "#!/bin/sh\necho not elf\n");
  EXPECT_TRUE(load_error(file).starts_with(file.string() + ": not a shared library"));
}

TEST(InProcessEndpointTest, ALibraryWithoutTheEntryAliasIsNotAPlugin) {
  const auto file =
      std::filesystem::path(GANTRY_TEST_PLUGIN_DIR) / "not-a-plugin" / "test-not-a-plugin.so";
  EXPECT_EQ(load_error(file),
            file.string() + ": not a gantry plugin: it exports no gantry_plugin_entry_v1");
}

TEST(InProcessEndpointTest, TheLibraryStaysLoadedWhileTheEndpointLives) {
  auto endpoint = InProcessEndpoint::load(test_plugin("sleeper"));
  // A second load of the same file shares the mapping; dropping it must not unload
  // the code the first endpoint still calls.
  InProcessEndpoint::load(test_plugin("sleeper")).reset();
  sdk::FakeContext sink;
  v1::RunRequest request;
  (*request.mutable_params())["ms"] = sdk::int_value(20);
  EXPECT_EQ(endpoint->run(request, sink).outputs().at("slept"), "20");
}

TEST(InProcessEndpointTest, CancellationReachesTheStepThroughTheAbi) {
  auto endpoint = InProcessEndpoint::load(test_plugin("sleeper"));
  sdk::FakeContext sink;
  sink.cancel();
  v1::RunRequest request;
  (*request.mutable_params())["ms"] = sdk::int_value(60'000);
  EXPECT_EQ(endpoint->run(request, sink).outcome(), v1::OUTCOME_CANCELLED);
}

}  // namespace
}  // namespace gantry::host

namespace gantry::host {
namespace {

/// A copy of the noop plugin with `bytes` written over it at `offset`.
std::filesystem::path damaged_copy(const sdk::TemporaryDirectory& dir, std::uint64_t offset,
                                   const std::string& bytes) {
  const auto file = dir.path() / "gantry-step-damaged.so";
  std::filesystem::copy_file(test_plugin("noop"), file);
  std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
  out.seekp(static_cast<std::streamoff>(offset));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file;
}

TEST(InProcessEndpointTest, AMalformedElfFileIsRefusedNotACrash) {
  const sdk::TemporaryDirectory dir;
  // e_shoff far past the end of the file, then a section name table index past e_shnum.
  const auto far_sections =
      damaged_copy(dir, 0x28, std::string("\xff\xff\xff\xff\xff\xff\x00\x00", 8));
  EXPECT_EQ(load_error(far_sections),
            far_sections.string() +
                ": not a shared library (the section header table lies outside the file)");
  std::filesystem::remove(far_sections);
  const auto bad_names = damaged_copy(dir, 0x3E, std::string("\xff\xff", 2));
  EXPECT_EQ(
      load_error(bad_names),
      bad_names.string() + ": not a shared library (the section name table is not a section)");
  std::filesystem::remove(bad_names);
  const auto truncated = dir.path() / "gantry-step-truncated.so";
  std::filesystem::copy_file(test_plugin("noop"), truncated);
  std::filesystem::resize_file(truncated, 100);
  EXPECT_EQ(load_error(truncated),
            truncated.string() +
                ": not a shared library (the section header table lies outside the file)");
}

TEST(InProcessEndpointTest, AMalformedAbiNoteIsRefusedNotACrash) {
  const sdk::TemporaryDirectory dir;
  // The note as GANTRY_PLUGIN writes it: name size 7, descriptor size 4, type 1, "gantry".
  const std::string note("\x07\0\0\0\x04\0\0\0\x01\0\0\0gantry\0\0", 20);
  const std::string image = testing::read_file(test_plugin("noop"));
  const auto at = image.find(note);
  ASSERT_NE(at, std::string::npos);
  const auto huge_name = damaged_copy(dir, at, std::string("\xff\xff\xff\x7f", 4));
  EXPECT_EQ(load_error(huge_name),
            huge_name.string() + ": not a shared library (a note's name runs past its section)");
  std::filesystem::remove(huge_name);
  const auto huge_version = damaged_copy(dir, at + 4, std::string("\xff\xff\xff\xff", 4));
  EXPECT_EQ(
      load_error(huge_version),
      huge_version.string() + ": not a shared library (a note's descriptor runs past its section)");
}

TEST(InProcessEndpointTest, AStepNameOutsideTheProtocolsRuleIsRefused) {
  EXPECT_EQ(load_error(test_plugin("bad-name")),
            test_plugin("bad-name").string() +
                ": its step name 'Bad Name!' is not lower-case letters, digits and '-' starting "
                "with a letter");
}

TEST(InProcessEndpointTest, ADescribedEndpointLoadsItsLibraryOnlyWhenItRuns) {
  const auto description = InProcessEndpoint::load(test_plugin("noop"))->description();
  auto endpoint = InProcessEndpoint::described(test_plugin("noop"), description);
  EXPECT_FALSE(endpoint->loaded());
  EXPECT_EQ(endpoint->description().name(), "noop");
  sdk::FakeContext sink;
  const auto result = endpoint->run(v1::RunRequest(), sink);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_OK);
  EXPECT_TRUE(endpoint->loaded());
}

TEST(InProcessEndpointTest, ADescribedEndpointWhoseLibraryIsGoneFailsItsStepNamingTheFile) {
  v1::StepDescription description;
  description.set_name("noop");
  auto endpoint = InProcessEndpoint::described("/nonexistent/gantry-step-noop.so", description);
  sdk::FakeContext sink;
  const auto result = endpoint->run(v1::RunRequest(), sink);
  EXPECT_EQ(result.outcome(), v1::OUTCOME_FAILED);
  ASSERT_EQ(sink.events().size(), 1U);
  EXPECT_TRUE(
      result.message().starts_with("/nonexistent/gantry-step-noop.so: not a shared library"))
      << result.message();
}

}  // namespace
}  // namespace gantry::host
