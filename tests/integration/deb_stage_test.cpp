// The installed gantry's deb-stage step against signed apt repositories built by the
// tests with Debian's own tools (dpkg-deb, dpkg-scanpackages, apt-ftparchive, gpg), served
// from file: and from a loopback http server; and, live, against this machine's apt
// sources, compared with `apt-get download` + `dpkg-deb -x`.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "apt_repository.hpp"
#include "command.hpp"
#include "dropping_proxy.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

/// The files, directories and symlinks under `root`, relative, sorted.
std::set<std::string> tree_listing(const fs::path& root) {
  std::set<std::string> listing;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    listing.insert(it->path().lexically_relative(root).string());
  }
  return listing;
}

std::map<std::string, std::string> outputs_of(const std::string& stdout_text) {
  std::map<std::string, std::string> outputs;
  std::istringstream lines(stdout_text);
  for (std::string line; std::getline(lines, line);) {
    if (const auto equals = line.find('='); equals != std::string::npos) {
      outputs[line.substr(0, equals)] = line.substr(equals + 1);
    }
  }
  return outputs;
}

class DebStageTest : public ::testing::Test {
 protected:
  CommandResult stage(std::vector<std::string> args, const std::string& sources) {
    write_file(work_.path() / "sources.list", sources);
    args.insert(args.begin(), {kGantry, "deb-stage", "--sources", "sources.list", "--into",
                               into_.string(), "--cache-dir", cache_.string()});
    args.push_back("--output=plain");
    return run_command({.argv = args, .unset_env = {"GANTRY_PLUGIN_PATH"}, .cwd = work_.path()});
  }

  /// A repository with a small dependency graph that exercises every relation kind.
  void publish_graph(AptRepository& repo) {
    repo.add({.name = "app",
              .fields = {{"Depends",
                          "libfoo (>= 2.0), web-server | httpd, python3:any, "
                          "libcycle-a"},
                         {"Pre-Depends", "base-tool"},
                         {"Recommends", "recommended-extra"},
                         {"Suggests", "suggested-extra"}},
              .files = {{"usr/bin/app", "#!/usr/bin/python3\nprint('app')\n"},
                        {"usr/share/app/data.txt", "data\n"}},
              .symlinks = {{"usr/bin/app-link", "/usr/bin/app"}}});
    repo.add({.name = "libfoo", .version = "1.5", .files = {{"usr/lib/libfoo.so.1", "old"}}});
    repo.add({.name = "libfoo",
              .version = "2.1~rc1",
              .fields = {{"Multi-Arch", "same"}},
              .files = {{"usr/lib/libfoo.so.2", "new"}}});
    repo.add({.name = "nginx-light",
              .fields = {{"Provides", "httpd (= 1.0)"}},
              .files = {{"usr/sbin/nginx", "x"}}});
    repo.add({.name = "python3",
              .version = "1:3.11",
              .fields = {{"Multi-Arch", "allowed"}},
              .files = {{"usr/bin/python3", "py"}}});
    repo.add({.name = "base-tool", .architecture = "all", .files = {{"usr/bin/base", "b"}}});
    repo.add({.name = "libcycle-a",
              .fields = {{"Depends", "libcycle-b"}},
              .files = {{"usr/lib/a", "a"}}});
    repo.add({.name = "libcycle-b",
              .fields = {{"Depends", "libcycle-a (= 1.0)"}},
              .files = {{"usr/lib/b", "b"}}});
    repo.add({.name = "recommended-extra", .files = {{"usr/share/r", "r"}}});
    repo.add({.name = "suggested-extra", .files = {{"usr/share/s", "s"}}});
    repo.add({.name = "needs-missing",
              .fields = {{"Depends", "middle"}},
              .files = {{"usr/share/nm", "x"}}});
    repo.add({.name = "middle", .fields = {{"Depends", "libjs-gone"}}, .files = {{"m", "x"}}});
    repo.add({.name = "needs-new-foo",
              .fields = {{"Depends", "libfoo (>= 3)"}},
              .files = {{"usr/share/nf", "x"}}});
    repo.publish();
  }

  sdk::TemporaryDirectory work_{"gantry-deb-stage-test-"};
  fs::path into_ = work_.path() / "stage";
  fs::path cache_ = work_.path() / "cache";
};

TEST_F(DebStageTest, StagesTheDependsClosureFromASignedFileRepository) {
  AptRepository repo;
  publish_graph(repo);
  const auto result = stage({"--packages", "app"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;

  const auto packages = outputs_of(result.out).at("packages");
  // Pre-Depends and the Depends closure, dependencies first; the highest libfoo (2.1~rc1
  // sorts after 2.0); the first alternative (web-server) is missing, so the provider of
  // httpd; the cycle once each; no Recommends or Suggests.
  for (const auto* expected : {"base-tool=1.0", "libfoo=2.1~rc1", "nginx-light=1.0",
                               "python3=1:3.11", "libcycle-a=1.0", "libcycle-b=1.0", "app=1.0"}) {
    EXPECT_NE(packages.find(expected), std::string::npos) << expected << " in " << packages;
  }
  EXPECT_EQ(packages.find("recommended"), std::string::npos);
  EXPECT_EQ(packages.find("suggested"), std::string::npos);
  EXPECT_LT(packages.find("base-tool"), packages.find("app="));
  EXPECT_EQ(outputs_of(result.out).at("dir"), into_.string());

  EXPECT_EQ(read_file(into_ / "usr/lib/libfoo.so.2"), "new");
  EXPECT_FALSE(fs::exists(into_ / "usr/lib/libfoo.so.1"));
  EXPECT_EQ(read_file(into_ / "usr/bin/app"), "#!/usr/bin/env python3\nprint('app')\n");
  EXPECT_EQ(fs::read_symlink(into_ / "usr/bin/app-link"), "app");
  const auto status = read_file(into_ / "var/lib/dpkg/status.d/libfoo");
  EXPECT_NE(status.find("Package: libfoo\nStatus: install ok installed\n"), std::string::npos)
      << status;
  EXPECT_NE(status.find("Version: 2.1~rc1"), std::string::npos);
  EXPECT_EQ(status.find("Filename:"), std::string::npos);
}

TEST_F(DebStageTest, ReadsEveryDataCompressionDpkgDebWrites) {
  AptRepository repo;
  for (const auto* compression : {"xz", "gzip", "zstd", "none"}) {
    repo.add({.name = std::string("packed-") + compression,
              .files = {{std::string("usr/share/") + compression, compression}},
              .compression = compression});
  }
  repo.publish();
  const auto result = stage({"--packages", "packed-xz,packed-gzip,packed-zstd,packed-none"},
                            repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto* compression : {"xz", "gzip", "zstd", "none"}) {
    EXPECT_EQ(read_file(into_ / "usr/share" / compression), compression);
  }
}

TEST_F(DebStageTest, PinsExcludesAndBaseStatusPruneTheClosure) {
  AptRepository repo;
  publish_graph(repo);
  write_file(work_.path() / "status",
             "Package: python3\nStatus: install ok installed\nVersion: 1:3.11\n"
             "Architecture: amd64\n\nPackage: gone\nStatus: deinstall ok config-files\n"
             "Version: 1\n");
  const auto result = stage(
      {"--packages", "app,libfoo=2.1~rc1", "--exclude", "libcycle-a", "--base-status", "status"},
      repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto packages = outputs_of(result.out).at("packages");
  EXPECT_EQ(packages.find("python3="), std::string::npos) << packages;
  EXPECT_EQ(packages.find("libcycle"), std::string::npos) << packages;  // b only via a
  EXPECT_NE(packages.find("libfoo=2.1~rc1"), std::string::npos);
}

TEST_F(DebStageTest, AnUnsatisfiableChainIsShownAndNothingIsStaged) {
  AptRepository repo;
  publish_graph(repo);
  auto result = stage({"--packages", "needs-missing"}, repo.sources_line(repo.file_uri()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("needs-missing -> middle -> libjs-gone: not found"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(into_));

  result = stage({"--packages", "needs-new-foo"}, repo.sources_line(repo.file_uri()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("needs-new-foo -> libfoo (>= 3): no version satisfies it "
                            "(available: 2.1~rc1, 1.5)"),
            std::string::npos)
      << result.err;
}

TEST_F(DebStageTest, OverHttpASecondRunDownloadsNoPackageAgain) {
  AptRepository repo;
  publish_graph(repo);
  const std::string uri = repo.serve();
  auto result = stage({"--packages", "app"}, repo.sources_line(uri));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto first_log = repo.http_log();
  EXPECT_NE(first_log.find("GET /pool/app_1.0_amd64.deb"), std::string::npos) << first_log;
  EXPECT_NE(first_log.find("Packages.xz"), std::string::npos) << first_log;

  fs::remove_all(into_);
  result = stage({"--packages", "app"}, repo.sources_line(uri));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto second_log = repo.http_log().substr(first_log.size());
  EXPECT_EQ(second_log.find(".deb"), std::string::npos) << second_log;
  EXPECT_EQ(second_log.find("Packages"), std::string::npos) << second_log;
  EXPECT_NE(second_log.find("InRelease HTTP/1.1\" 304"), std::string::npos) << second_log;
  EXPECT_TRUE(fs::exists(into_ / "usr/bin/app"));
}

TEST_F(DebStageTest, ADroppedConnectionIsRetried) {
  AptRepository repo;
  publish_graph(repo);
  const std::string uri = repo.serve();
  const int port = std::stoi(uri.substr(uri.rfind(':') + 1));
  DroppingProxy proxy(port, "GET /pool/app_1.0_amd64.deb", 1);
  const auto result = stage({"--packages", "app"},
                            repo.sources_line("http://127.0.0.1:" + std::to_string(proxy.port())));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(proxy.drops(), 1);
  EXPECT_EQ(read_file(into_ / "usr/share/app/data.txt"), "data\n");
}

TEST_F(DebStageTest, AFileChangedInPlaceAfterStagingDoesNotLeakIntoTheNextStage) {
  AptRepository repo;
  publish_graph(repo);
  auto result = stage({"--packages", "app", "--link"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  {
    // With --link staged files are hard links into the cache: write into one in place.
    std::ofstream(into_ / "usr/share/app/data.txt", std::ios::app) << "changed\n";
  }
  fs::remove_all(into_);
  result = stage({"--packages", "app", "--link"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_file(into_ / "usr/share/app/data.txt"), "data\n");
}

TEST_F(DebStageTest, StagedFilesAreTheProjectsOwnNotSharedWithTheCache) {
  AptRepository repo;
  publish_graph(repo);
  const fs::path first = into_;
  const fs::path other = work_.path() / "other-project";
  ASSERT_EQ(stage({"--packages", "app"}, repo.sources_line(repo.file_uri())).exit_code, 0);
  into_ = other;
  const auto second = stage({"--packages", "app"}, repo.sources_line(repo.file_uri()));
  into_ = first;
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(fs::hard_link_count(first / "usr/share/app/data.txt"), 1U);
  std::ofstream(first / "usr/share/app/data.txt", std::ios::app) << "edited in one project\n";
  EXPECT_EQ(read_file(other / "usr/share/app/data.txt"), "data\n");
}

TEST_F(DebStageTest, ProcessesSharingOneCacheDoNotTripOverEachOther) {
  AptRepository repo;
  publish_graph(repo);
  write_file(work_.path() / "sources.list", repo.sources_line(repo.serve()));
  std::vector<std::unique_ptr<BackgroundCommand>> runs;
  for (int i = 0; i < 3; ++i) {
    runs.push_back(std::make_unique<BackgroundCommand>(
        CommandSpec{.argv = {kGantry, "deb-stage", "--sources", "sources.list", "--into",
                             (work_.path() / ("stage-" + std::to_string(i))).string(),
                             "--cache-dir", cache_.string(), "--packages", "app", "--output=plain"},
                    .unset_env = {"GANTRY_PLUGIN_PATH"},
                    .cwd = work_.path()}));
  }
  for (int i = 0; i < 3; ++i) {
    const auto result = runs[i]->wait(std::chrono::seconds(120));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(tree_listing(work_.path() / ("stage-" + std::to_string(i))),
              tree_listing(work_.path() / "stage-0"));
  }
}

TEST_F(DebStageTest, ACorruptCachedDebIsFetchedAgain) {
  AptRepository repo;
  publish_graph(repo);
  auto result = stage({"--packages", "base-tool"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const auto& entry : fs::directory_iterator(cache_ / "debs")) {
    const auto size = fs::file_size(entry.path());
    write_file(entry.path(), std::string(size, '\0'));  // same size, wrong bytes
  }
  fs::remove_all(cache_ / "trees");
  fs::remove_all(into_);
  result = stage({"--packages", "base-tool"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_file(into_ / "usr/bin/base"), "b");
}

TEST_F(DebStageTest, ReleaseWithDetachedSignatureIsAccepted) {
  AptRepository repo;
  publish_graph(repo);
  fs::remove(repo.dists() / "InRelease");
  const auto result = stage({"--packages", "base-tool"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(fs::exists(into_ / "usr/bin/base"));
}

TEST_F(DebStageTest, Deb822SourcesWithAnInlineKeyAreRead) {
  AptRepository repo;
  publish_graph(repo);
  const auto armored =
      run_command({.argv = {"gpg", "--enarmor", "--output", "-", repo.keyring().string()}});
  ASSERT_EQ(armored.exit_code, 0) << armored.err;
  // gpg --enarmor writes an "ARMORED FILE" block; a public key block is what apt expects.
  auto key = armored.out;
  for (const auto& [from, to] : {std::pair{"ARMORED FILE", "PUBLIC KEY BLOCK"}}) {
    for (auto at = key.find(from); at != std::string::npos; at = key.find(from)) {
      key.replace(at, std::string(from).size(), to);
    }
  }
  std::string indented;
  std::istringstream lines(key);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("Comment:")) {
      continue;
    }
    indented += " " + (line.empty() ? std::string(".") : line) + "\n";
  }
  write_file(work_.path() / "repo.sources", "Types: deb\nURIs: " + repo.file_uri() +
                                                "\nSuites: stable\nComponents: main\n"
                                                "Signed-By:\n" +
                                                indented);
  const auto result = run_command(
      {.argv = {kGantry, "deb-stage", "--sources", "repo.sources", "--into", into_.string(),
                "--cache-dir", cache_.string(), "--packages", "base-tool", "--output=plain"},
       .unset_env = {"GANTRY_PLUGIN_PATH"},
       .cwd = work_.path()});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
}

TEST_F(DebStageTest, ABadSignatureIsRefused) {
  AptRepository repo;
  publish_graph(repo);
  auto in_release = read_file(repo.dists() / "InRelease");
  in_release.replace(in_release.find("Suite: stable"), 13, "Suite: stabla");
  write_file(repo.dists() / "InRelease", in_release);
  const auto result = stage({"--packages", "app"}, repo.sources_line(repo.file_uri()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("is not valid: the signature does not match"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(into_));
}

TEST_F(DebStageTest, AKeyThatDidNotSignIsRefused) {
  AptRepository repo;
  publish_graph(repo);
  AptRepository other;
  const auto result = stage({"--packages", "app"}, "deb [signed-by=" + other.keyring().string() +
                                                       "] " + repo.file_uri() + " stable main\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("signed by a key that is not in its keyring"), std::string::npos)
      << result.err;
}

TEST_F(DebStageTest, AnUnsignedRepositoryIsRefusedUnlessTrusted) {
  AptRepository repo;
  publish_graph(repo);
  repo.publish(false);
  auto result = stage({"--packages", "base-tool"}, "deb " + repo.file_uri() + " stable main\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("is not signed"), std::string::npos) << result.err;

  result =
      stage({"--packages", "base-tool"}, "deb [trusted=yes] " + repo.file_uri() + " stable main\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(DebStageTest, ADebWhoseHashDoesNotMatchIsRefusedAndNothingIsUnpacked) {
  AptRepository repo;
  publish_graph(repo);
  // Swap a package for another build of the same name after indexing.
  AptRepository scratch;
  const auto impostor =
      scratch.add({.name = "libfoo", .version = "2.1~rc1", .files = {{"usr/lib/evil", "x"}}});
  fs::copy_file(impostor, repo.root() / "pool" / "libfoo_2.1~rc1_amd64.deb",
                fs::copy_options::overwrite_existing);
  const auto result = stage({"--packages", "app"}, repo.sources_line(repo.file_uri()));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("does not match its index"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(into_));
}

TEST_F(DebStageTest, HostileDebsCannotWriteOutsideTheStagingDirectory) {
  AptRepository repo;
  const auto good = repo.add({.name = "decoy", .files = {{"usr/share/decoy", "x"}}});
  const fs::path outside = work_.path() / "outside";
  fs::create_directories(outside);
  const std::vector<std::pair<std::string, std::string>> attacks{
      {"dotdot", R"([["file", "./../../outside/pwned", "x"]])"},
      {"absolute", R"([["file", "/tmp/gantry-absolute-pwned", "x"]])"},
      {"symlink-escape", R"([["symlink", "./escape", "../../outside"],
                             ["file", "./escape/pwned", "x"]])"},
      {"symlink-absolute", R"([["symlink", "./abs", ")" + outside.string() + R"("],
                               ["file", "./abs/pwned", "x"]])"}};
  for (const auto& [name, entries] : attacks) {
    SCOPED_TRACE(name);
    AptRepository hostile;
    hostile.add({.name = "decoy", .files = {{"usr/share/decoy", "x"}}});
    write_hostile_deb(good, hostile.root() / "pool" / "decoy_1.0_amd64.deb", entries);
    hostile.publish();
    fs::remove_all(into_);
    const auto result = stage({"--packages", "decoy"}, hostile.sources_line(hostile.file_uri()));
    EXPECT_TRUE(fs::is_empty(outside)) << result.err;
    EXPECT_FALSE(fs::exists("/tmp/gantry-absolute-pwned"));
    if (name == "symlink-absolute") {
      // An absolute link is followed as it would be in the image: inside the tree.
      EXPECT_EQ(result.exit_code, 0) << result.err;
      EXPECT_TRUE(fs::exists(into_ / outside.relative_path() / "pwned"));
    } else {
      EXPECT_EQ(result.exit_code, 1) << result.out;
      EXPECT_NE(result.err.find("the package is refused"), std::string::npos) << result.err;
      EXPECT_FALSE(fs::exists(into_));
    }
  }
}

/// Every file under `root` with its content (a symlink as "-> target"), to show that
/// nothing outside a target changed.
std::map<std::string, std::string> tree_snapshot(const fs::path& root) {
  std::map<std::string, std::string> snapshot;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    const auto name = it->path().lexically_relative(root).string();
    if (it->is_symlink()) {
      snapshot[name] = "-> " + fs::read_symlink(it->path()).string();
    } else if (it->is_regular_file()) {
      snapshot[name] = read_file(it->path());
    } else {
      snapshot[name] = "dir";
    }
  }
  return snapshot;
}

/// A marker tree beside the staging directory, where a hostile repository would write.
fs::path make_markers(const fs::path& dir) {
  write_file(dir / "x", "marker\n");
  write_file(dir / "tool.gantry-shebang", "marker\n");
  write_file(dir / "python3/sitecustomize.py", "marker\n");
  write_file(dir / "etc/x", "marker\n");
  return dir;
}

TEST_F(DebStageTest, APackageNameFromTheIndexCannotNameAFileOutsideTheTarget) {
  const fs::path outside = make_markers(work_.path() / "outside");
  const auto before = tree_snapshot(outside);
  AptRepository repo;
  repo.add({.name = "app", .fields = {{"Depends", "evil"}}, .files = {{"usr/bin/app", "x"}}});
  repo.add({.name = "evil", .files = {{"usr/share/evil", "x"}}});
  const std::string hostile_name = "../../../../../../../../.." + outside.string() + "/x";
  repo.publish(true, [&](std::string& packages) {
    const auto at = packages.find("Package: evil\n");
    ASSERT_NE(at, std::string::npos);
    packages.replace(at, 13, "Package: " + hostile_name);
    const auto depends = packages.find("Depends: evil");
    ASSERT_NE(depends, std::string::npos);
    packages.replace(depends, 13, "Depends: " + hostile_name);
  });
  for (const auto& request : {std::string("app"), hostile_name}) {
    SCOPED_TRACE(request);
    const auto result = stage({"--packages", request}, repo.sources_line(repo.file_uri()));
    EXPECT_EQ(result.exit_code, 1) << result.out;
    EXPECT_NE(result.err.find("the package name '" + hostile_name + "' is not valid in Debian"),
              std::string::npos)
        << result.err;
    EXPECT_NE(result.err.find("Packages.xz:"), std::string::npos) << result.err;  // file:line
    EXPECT_EQ(tree_snapshot(outside), before);
    EXPECT_FALSE(fs::exists(into_));
  }
}

TEST_F(DebStageTest, WritesAfterUnpackingCannotBeRedirectedBySymlinksAPackageShips) {
  const fs::path outside = make_markers(work_.path() / "outside");
  const auto before = tree_snapshot(outside);
  AptRepository repo;
  const auto good = repo.add({.name = "trap", .files = {{"usr/share/trap", "x"}}});
  const std::string entries = R"([
      ["symlink", "./var/lib/dpkg/status.d", ")" +
                              outside.string() + R"("],
      ["file", "./usr/bin/tool", "#!/usr/bin/python3\nprint()\n"],
      ["symlink", "./usr/bin/tool.gantry-shebang", ")" +
                              (outside / "tool.gantry-shebang").string() + R"("],
      ["symlink", "./usr/lib/python3", ")" +
                              (outside / "python3").string() + R"("],
      ["file", "./etc/x", "in the tree\n"],
      ["symlink", "./usr/bin/climbs", "/../../../../../etc/x"]])";
  write_hostile_deb(good, repo.root() / "pool" / "trap_1.0_amd64.deb", entries);
  repo.publish();
  const auto result = stage({"--packages", "trap"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(tree_snapshot(outside), before);
  // The record went where the image's own /var/lib/dpkg/status.d leads: inside the tree.
  EXPECT_NE(read_file(into_ / outside.relative_path() / "trap").find("Package: trap"),
            std::string::npos);
  EXPECT_EQ(read_file(into_ / "usr/bin/tool"), "#!/usr/bin/env python3\nprint()\n");
  EXPECT_EQ(fs::read_symlink(into_ / "usr/bin/climbs"), "../../etc/x");
  EXPECT_EQ(read_file(into_ / "usr/bin/climbs"), "in the tree\n");
}

TEST_F(DebStageTest, DeviceNodesAndFifosAPackageShipsAreReportedNotMade) {
  AptRepository repo;
  const auto good = repo.add({.name = "devs", .files = {{"usr/share/devs", "x"}}});
  write_hostile_deb(good, repo.root() / "pool" / "devs_1.0_amd64.deb",
                    R"([["file", "./usr/share/devs", "x"], ["fifo", "./run/queue"],
                        ["chardev", "./dev/null"]])");
  repo.publish();
  const auto result = stage({"--packages", "devs"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("skipped the fifo /run/queue"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("skipped the device node /dev/null"), std::string::npos);
  EXPECT_FALSE(fs::exists(into_ / "run/queue"));
  EXPECT_TRUE(fs::exists(into_ / "usr/share/devs"));
}

TEST_F(DebStageTest, BadInputNamesWhereItIs) {
  write_file(work_.path() / "bad.list", "deb http://example.invalid/debian\n");
  auto result = run_command({.argv = {kGantry, "deb-stage", "--sources", "bad.list", "--into",
                                      into_.string(), "--packages", "x", "--output=plain"},
                             .unset_env = {"GANTRY_PLUGIN_PATH"},
                             .cwd = work_.path()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("bad.list:1:1: expected 'deb [options] URI SUITE"), std::string::npos)
      << result.err;
}

// Live: this machine's own apt sources. The set of staged files must equal what
// `apt-get download` of the same versions followed by `dpkg-deb -x` of each gives.
TEST(DebStageLiveTest, MatchesAptGetDownloadAndDpkgDebExtract) {
  sdk::TemporaryDirectory work("gantry-deb-live-");
  const fs::path into = work.path() / "gantry";
  const auto result = run_command(
      {.argv = {kGantry, "deb-stage", "--packages", "libpq5,python3-minimal", "--into",
                into.string(), "--cache-dir", (work.path() / "cache").string(), "--output=plain"},
       .unset_env = {"GANTRY_PLUGIN_PATH"},
       .cwd = work.path(),
       .timeout = std::chrono::seconds(600)});
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  std::vector<std::string> ids;
  std::istringstream packages(outputs_of(result.out).at("packages"));
  for (std::string id; std::getline(packages, id, ',');) {
    ids.push_back(id);
  }
  ASSERT_GT(ids.size(), 5U);

  const fs::path debs = work.path() / "debs";
  fs::create_directories(debs);
  std::vector<std::string> download{"apt-get", "download", "-q"};
  download.insert(download.end(), ids.begin(), ids.end());
  const auto fetched =
      run_command({.argv = download, .cwd = debs, .timeout = std::chrono::seconds(600)});
  ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
  const fs::path expected = work.path() / "dpkg";
  for (const auto& entry : fs::directory_iterator(debs)) {
    const auto extracted =
        run_command({.argv = {"dpkg-deb", "-x", entry.path().string(), expected.string()}});
    ASSERT_EQ(extracted.exit_code, 0) << extracted.err;
  }
  auto staged = tree_listing(into);
  // What gantry adds or removes on purpose: the status records (and their directories)
  // and, as craft-parts does, Python's sitecustomize.py.
  std::erase_if(staged, [](const std::string& path) { return path.starts_with("var/lib/dpkg"); });
  auto reference = tree_listing(expected);
  std::erase_if(reference, [](const std::string& path) {
    return path.starts_with("var/lib/dpkg") ||
           (path.starts_with("usr/lib/python") && path.ends_with("/sitecustomize.py"));
  });
  for (const auto* kept : {"var", "var/lib"}) {
    staged.erase(kept);
    reference.erase(kept);
  }
  std::vector<std::string> only_gantry;
  std::vector<std::string> only_dpkg;
  std::set_difference(staged.begin(), staged.end(), reference.begin(), reference.end(),
                      std::back_inserter(only_gantry));
  std::set_difference(reference.begin(), reference.end(), staged.begin(), staged.end(),
                      std::back_inserter(only_dpkg));
  EXPECT_TRUE(only_gantry.empty()) << "only in gantry's tree: " << only_gantry.front();
  EXPECT_TRUE(only_dpkg.empty()) << "only in dpkg-deb's tree: " << only_dpkg.front();
  EXPECT_GT(staged.size(), 100U);
}

/// deb-stage under an apt configuration of the test's own (GANTRY_APT_CONFIG_ROOT, with
/// APT_CONFIG unset) rather than this machine's, whose apt.conf.d may turn date checks off.
class DebStageAptConfigTest : public DebStageTest {
 protected:
  void SetUp() override {
    fs::create_directories(etc_apt_ / "apt.conf.d");
    for (const auto* name : kVariables) {
      if (const char* value = std::getenv(name)) {
        saved_[name] = value;
      }
    }
    ::setenv("GANTRY_APT_CONFIG_ROOT", etc_apt_.c_str(), 1);
    ::unsetenv("APT_CONFIG");
  }
  void TearDown() override {
    for (const auto* name : kVariables) {
      if (saved_.contains(name)) {
        ::setenv(name, saved_.at(name).c_str(), 1);
      } else {
        ::unsetenv(name);
      }
    }
  }

  static constexpr std::array<const char*, 2> kVariables{"GANTRY_APT_CONFIG_ROOT", "APT_CONFIG"};
  fs::path etc_apt_ = work_.path() / "etc-apt";
  std::map<std::string, std::string> saved_;
};

constexpr std::chrono::seconds kExpiredLongAgo{-(86400 + 2 * 3600 + 3 * 60 + 4)};

TEST_F(DebStageAptConfigTest, AReleasePastItsValidUntilIsRefusedAsAptRefusesIt) {
  AptRepository repo;
  repo.set_valid_for(kExpiredLongAgo);  // a mirror replaying indexes from a day ago
  publish_graph(repo);
  const auto result = stage({"--packages", "base-tool"}, repo.sources_line(repo.file_uri()));
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.err.find("the Release file for " + repo.file_uri() +
                            "/dists/stable/InRelease is expired (invalid since 1d 2h 3min "),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("Recommended resolution:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("replaying old indexes"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("[check-valid-until=no]"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(into_));
}

TEST_F(DebStageAptConfigTest, AReleaseStillValidIsStaged) {
  AptRepository repo;
  repo.set_valid_for(std::chrono::hours(24 * 7));
  publish_graph(repo);
  ASSERT_NE(read_file(repo.dists() / "InRelease").find("Valid-Until: "), std::string::npos);
  const auto result = stage({"--packages", "base-tool"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_file(into_ / "usr/bin/base"), "b");
}

TEST_F(DebStageAptConfigTest, CheckValidUntilNoOnTheSourceAcceptsAnExpiredRelease) {
  AptRepository repo;
  repo.set_valid_for(kExpiredLongAgo);
  publish_graph(repo);
  const auto result = stage({"--packages", "base-tool"},
                            repo.sources_line(repo.file_uri(), "check-valid-until=no"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_file(into_ / "usr/bin/base"), "b");
}

TEST_F(DebStageAptConfigTest, AnAptConfDFileCanTurnTheCheckOff) {
  AptRepository repo;
  repo.set_valid_for(kExpiredLongAgo);
  publish_graph(repo);
  auto result = stage({"--packages", "base-tool"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 1) << result.err;
  write_file(etc_apt_ / "apt.conf.d" / "99snapshot-mirror",
             "// this mirror serves a frozen snapshot\nAcquire::Check-Valid-Until \"false\";\n");
  result = stage({"--packages", "base-tool"}, repo.sources_line(repo.file_uri()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_file(into_ / "usr/bin/base"), "b");
}

TEST_F(DebStageAptConfigTest, ACachedReleaseThatHasExpiredSinceIsRefused) {
  AptRepository repo;
  repo.set_valid_for(std::chrono::seconds(15));
  publish_graph(repo);
  const auto published = std::chrono::steady_clock::now();
  const std::string uri = repo.serve();
  auto result = stage({"--packages", "base-tool"}, repo.sources_line(uri));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto first_log = repo.http_log();

  std::this_thread::sleep_until(published + std::chrono::seconds(17));
  fs::remove_all(into_);
  result = stage({"--packages", "base-tool"}, repo.sources_line(uri));
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.err.find("/dists/stable/InRelease is expired (invalid since "),
            std::string::npos)
      << result.err;
  // The server had nothing newer: the Release refused is the copy cached by the first run.
  const auto second_log = repo.http_log().substr(first_log.size());
  EXPECT_NE(second_log.find("InRelease HTTP/1.1\" 304"), std::string::npos) << second_log;
  EXPECT_FALSE(fs::exists(into_));
}

TEST_F(DebStageTest, ATrustedFlatRepositoryWithOnlyAPackagesFileIsStaged) {
  for (const auto* index : {"Packages", "Packages.gz", "Packages.xz"}) {
    SCOPED_TRACE(index);
    AptRepository repo;
    repo.add({.name = "flat-tool", .files = {{"usr/bin/flat-tool", "f"}}});
    repo.publish_flat({index});
    ASSERT_FALSE(fs::exists(repo.root() / "Release"));
    fs::remove_all(into_);
    const auto result =
        stage({"--packages", "flat-tool"}, "deb [trusted=yes] " + repo.file_uri() + " ./\n");
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(read_file(into_ / "usr/bin/flat-tool"), "f");
  }
}

TEST_F(DebStageTest, AFlatRepositorysCompressedPackagesArePreferred) {
  AptRepository repo;
  repo.add({.name = "flat-tool", .files = {{"usr/bin/flat-tool", "f"}}});
  repo.publish_flat({"Packages.xz", "Packages.gz"});
  write_file(repo.root() / "Packages", "");  // a stale plain index that must not be read
  const std::string uri = repo.serve();
  const auto result = stage({"--packages", "flat-tool"}, "deb [trusted=yes] " + uri + " ./\n");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto log = repo.http_log();
  EXPECT_NE(log.find("GET /Packages.xz HTTP"), std::string::npos) << log;
  EXPECT_EQ(log.find("GET /Packages.gz HTTP"), std::string::npos) << log;
  EXPECT_EQ(log.find("GET /Packages HTTP"), std::string::npos) << log;
}

TEST_F(DebStageTest, AFlatRepositoryWithoutReleaseIsRefusedUnlessTrusted) {
  AptRepository repo;
  repo.add({.name = "flat-tool", .files = {{"usr/bin/flat-tool", "f"}}});
  repo.publish_flat({"Packages.xz"});
  const auto result = stage({"--packages", "flat-tool"}, "deb " + repo.file_uri() + " ./\n");
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(result.err.find("the repository " + repo.file_uri() +
                            " ./ has no Release file (no InRelease, no Release)"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("mark it [trusted=yes]"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(into_));
}

}  // namespace
}  // namespace gantry::testing
