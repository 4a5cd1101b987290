// The plugin boundary as the files show it: every installed plugin exports the entry alias
// alone and imports no C++ symbol of gantry's or Protobuf's (it carries its own copies), and
// a plugin built out of tree by clang++ runs in the g++-built host.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

const std::filesystem::path kStage = GANTRY_STAGE_DIR;
/// Empty under the asan preset, which builds no clang plugin (CMakeLists.txt says why).
const std::filesystem::path kClangBuild = GANTRY_HELLO_STEP_CLANG_DIR;
const std::filesystem::path kClangPlugin = kClangBuild / "hello-step.so";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  return lines;
}

/// The output of a tool that must succeed.
std::string tool_output(std::vector<std::string> argv) {
  const auto result = run_command({.argv = std::move(argv)});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

/// The names of the symbols `file` defines in its dynamic symbol table.
std::vector<std::string> exported_symbols(const std::filesystem::path& file) {
  std::vector<std::string> names;
  for (const auto& line : lines_of(tool_output({"nm", "-D", "--defined-only", file.string()}))) {
    names.push_back(line.substr(line.rfind(' ') + 1));
  }
  return names;
}

/// The symbols `file` imports that belong to gantry's or Protobuf's C++ code, demangled.
std::vector<std::string> host_cxx_imports(const std::filesystem::path& file) {
  std::vector<std::string> found;
  const std::regex host_code(R"(\b(gantry|google)::)");
  for (const auto& line :
       lines_of(tool_output({"nm", "-D", "--undefined-only", "--demangle", file.string()}))) {
    if (std::regex_search(line, host_code)) {
      found.push_back(line);
    }
  }
  return found;
}

/// The libraries `file` needs that are gantry's or Protobuf's.
std::vector<std::string> host_libraries_needed(const std::filesystem::path& file) {
  std::vector<std::string> found;
  const std::regex needed(R"(\(NEEDED\).*\[(.*)\])");
  for (const auto& line : lines_of(tool_output({"readelf", "--dynamic", file.string()}))) {
    std::smatch match;
    if (std::regex_search(line, match, needed) &&
        std::regex_search(match[1].str(), std::regex("^lib(gantry|protobuf|grpc)"))) {
      found.push_back(match[1].str());
    }
  }
  return found;
}

std::vector<std::filesystem::path> bundled_plugins() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(kStage / "lib" / "gantry" / "plugins")) {
    if (entry.path().extension() == ".so") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

/// What the tool chain that built `file` wrote in its .comment section.
std::string compilers_of(const std::filesystem::path& file) {
  return tool_output({"readelf", "--string-dump=.comment", file.string()});
}

TEST(PluginBoundaryTest, EveryBundledPluginExportsTheEntryAliasAlone) {
  const auto plugins = bundled_plugins();
  ASSERT_EQ(plugins.size(), 6U);
  for (const auto& plugin : plugins) {
    EXPECT_EQ(exported_symbols(plugin), std::vector<std::string>{"gantry_plugin_entry_v1"})
        << plugin;
  }
}

TEST(PluginBoundaryTest, EveryBundledPluginImportsNoGantryOrProtobufSymbol) {
  for (const auto& plugin : bundled_plugins()) {
    EXPECT_EQ(host_cxx_imports(plugin), std::vector<std::string>{}) << plugin;
    EXPECT_EQ(host_libraries_needed(plugin), std::vector<std::string>{}) << plugin;
  }
}

TEST(PluginBoundaryTest, AnOutOfTreePluginBuiltWithClangHasTheSameBoundary) {
  if (kClangBuild.empty()) {
    GTEST_SKIP() << "a sanitized build: a clang-built plugin cannot use GCC's sanitizer runtimes";
  }
  EXPECT_NE(compilers_of(kClangPlugin).find("clang version"), std::string::npos);
  EXPECT_EQ(exported_symbols(kClangPlugin), std::vector<std::string>{"gantry_plugin_entry_v1"});
  EXPECT_EQ(host_cxx_imports(kClangPlugin), std::vector<std::string>{});
  EXPECT_EQ(host_libraries_needed(kClangPlugin), std::vector<std::string>{});
}

TEST(PluginBoundaryTest, AnOutOfTreePluginBuiltWithClangRunsInTheGccBuiltHost) {
  if (kClangBuild.empty()) {
    GTEST_SKIP() << "a sanitized build: a clang-built plugin cannot use GCC's sanitizer runtimes";
  }
  const auto gantry = kStage / "bin" / "gantry";
  EXPECT_NE(compilers_of(gantry).find("GCC: "), std::string::npos);
  EXPECT_EQ(compilers_of(gantry).find("clang version"), std::string::npos);
  const sdk::TemporaryDirectory project("gantry-project-");
  const auto result = run_command(
      {.argv = {gantry.string(), "hello", "--name", "clang", "--shout", "--repeat", "2"},
       .env = {{"GANTRY_PLUGIN_PATH", kClangPlugin.parent_path()}},
       .unset_env = {"GANTRY_VERBOSITY"},
       .cwd = project.path()});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "message=HELLO, CLANG!\n") << result.err;
}

}  // namespace
}  // namespace gantry::testing
