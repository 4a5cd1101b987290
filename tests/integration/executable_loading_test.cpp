// How gantry's files load. The executable is a launcher that needs libc alone, answers
// `--version` without loading anything, and finds its host library through its RUNPATH;
// no binary of gantry's, built or installed, has an empty RUNPATH entry (the loader reads
// one as the current directory, from which it would take any library gantry needs).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

const std::filesystem::path kStage = GANTRY_STAGE_DIR;
const std::filesystem::path kBuild = GANTRY_BUILD_DIR;

std::string dynamic_section(const std::filesystem::path& file) {
  const auto result = run_command({.argv = {"readelf", "--dynamic", file.string()}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

/// The `[value]` of each dynamic entry of `kind` (NEEDED, RUNPATH, RPATH).
std::vector<std::string> dynamic_values(const std::filesystem::path& file,
                                        const std::string& kind) {
  std::vector<std::string> values;
  const std::regex entry("\\(" + kind + "\\).*\\[(.*)\\]");
  std::istringstream lines(dynamic_section(file));
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_search(line, match, entry)) {
      values.push_back(match[1].str());
    }
  }
  return values;
}

bool is_elf(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string magic(4, '\0');
  in.read(magic.data(), static_cast<std::streamsize>(magic.size()));
  return magic ==
         "\x7f"
         "ELF";
}

/// gantry's own executables and libraries under `root`'s bin/ and lib/.
std::vector<std::filesystem::path> gantry_binaries(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> files;
  for (const auto* dir : {"bin", "lib"}) {
    if (!std::filesystem::is_directory(root / dir)) {
      continue;
    }
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
      const auto name = entry.path().filename().string();
      if (entry.is_regular_file() && !entry.is_symlink() &&
          (name == "gantry" || name.starts_with("libgantry-") || name.starts_with("gantry-")) &&
          is_elf(entry.path())) {
        files.push_back(entry.path());
      }
    }
  }
  return files;
}

TEST(ExecutableLoading, TheExecutableNeedsLibcAlone) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "a sanitizer build links its runtimes (and libstdc++) into every executable";
#endif
  for (const auto& gantry : {kStage / "bin" / "gantry", kBuild / "bin" / "gantry"}) {
    EXPECT_EQ(dynamic_values(gantry, "NEEDED"), std::vector<std::string>{"libc.so.6"}) << gantry;
  }
}

TEST(ExecutableLoading, VersionLoadsNoLibraryOfGantrys) {
  const auto result = run_command({.argv = {(kStage / "bin" / "gantry").string(), "--version"},
                                   .env = {{"LD_DEBUG", "files"}}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, std::string(GANTRY_VERSION) + "\n");
  EXPECT_EQ(result.err.find("libgantry"), std::string::npos) << result.err;
}

TEST(ExecutableLoading, NoBinaryHasAnEmptyRunpathEntry) {
  std::size_t checked = 0;
  for (const auto& root : {kStage, kBuild}) {
    for (const auto& file : gantry_binaries(root)) {
      for (const auto* kind : {"RUNPATH", "RPATH"}) {
        for (const auto& value : dynamic_values(file, kind)) {
          const std::string padded = ":" + value + ":";
          EXPECT_EQ(padded.find("::"), std::string::npos)
              << file << " has an empty " << kind << " entry: '" << value << "'";
        }
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 10U);
}

TEST(ExecutableLoading, AMissingHostLibraryIsAClearError) {
  const sdk::TemporaryDirectory moved("gantry-launcher-");
  std::filesystem::create_directories(moved.path() / "bin");
  std::filesystem::copy_file(kStage / "bin" / "gantry", moved.path() / "bin" / "gantry");
  const auto gantry = (moved.path() / "bin" / "gantry").string();

  EXPECT_EQ(run_command({.argv = {gantry, "--version"}}).exit_code, 0);
  const auto result = run_command({.argv = {gantry, "plugins"}, .cwd = moved.path()});
  EXPECT_EQ(result.exit_code, 70);
  EXPECT_NE(result.err.find("cannot load gantry's host library"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("Recommended resolution:"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace gantry::testing
