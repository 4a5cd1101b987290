#include "gantry/deb/repository_indexes.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "deb_error_text.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::resolution_of;

constexpr std::string_view kPackagesText =
    "Package: hello\nVersion: 1.0\nArchitecture: amd64\nFilename: pool/hello_1.0_amd64.deb\n"
    "Size: 4\nSHA256: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n";

/// Unsigned repositories on disk, read as [trusted=yes] file: sources (no gpg needed).
class RepositoryIndexesTest : public ::testing::Test {
 protected:
  /// dists/stable with a Release (whose extra fields are `fields`) vouching for
  /// main/binary-amd64/Packages.
  AptSource suite_repository(const std::string& fields) {
    const fs::path dists = dir_.path() / "repo" / "dists" / "stable";
    testing::write_file(dists / "main" / "binary-amd64" / "Packages", std::string(kPackagesText));
    testing::write_file(dists / "Release",
                        "Suite: stable\n" + fields + "Architectures: amd64\nComponents: main\n" +
                            "SHA256:\n " + net::sha256_of(kPackagesText).hex() + " " +
                            std::to_string(kPackagesText.size()) + " main/binary-amd64/Packages\n");
    AptSource source;
    source.uri = "file:" + (dir_.path() / "repo").string();
    source.suite = "stable";
    source.components = {"main"};
    source.trusted = true;
    return source;
  }

  /// A flat repository holding only `files` (name -> content).
  AptSource flat_repository(const std::map<std::string, std::string>& files, bool trusted) {
    fs::create_directories(dir_.path() / "flat");
    for (const auto& [name, content] : files) {
      testing::write_file(dir_.path() / "flat" / name, content);
    }
    AptSource source;
    source.uri = "file:" + (dir_.path() / "flat").string();
    source.suite = "./";
    source.trusted = trusted;
    return source;
  }

  PackageIndex load(const AptSource& source, const AptConfig& config = {}) {
    Downloader downloader({.jobs = 2});
    return load_package_index(
        {source}, "amd64", dir_.path() / "cache", downloader,
        [this](const std::string& message) { warnings_ += message + "\n"; }, config);
  }

  sdk::TemporaryDirectory dir_{"gantry-indexes-test-"};
  std::string warnings_;
};

TEST_F(RepositoryIndexesTest, AnExpiredReleaseIsRefused) {
  const auto source = suite_repository(
      "Date: Fri, 31 Dec 1999 00:00:00 UTC\nValid-Until: Sat, 01 Jan 2000 00:00:00 UTC\n");
  const auto message = error_of([&] { (void)load(source); });
  EXPECT_NE(message.find("the Release file for " + source.uri +
                         "/dists/stable/Release is expired (invalid since "),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("Valid-Until: Sat, 01 Jan 2000 00:00:00 UTC"), std::string::npos);
}

TEST_F(RepositoryIndexesTest, AReleaseValidUntilLaterOrForeverIsRead) {
  EXPECT_EQ(load(suite_repository("Valid-Until: Fri, 01 Jan 2100 00:00:00 UTC\n")).size(), 1U);
  EXPECT_EQ(load(suite_repository("")).size(), 1U);
}

TEST_F(RepositoryIndexesTest, TheSourceOrAptConfigurationCanAcceptAnExpiredRelease) {
  auto source = suite_repository("Valid-Until: Sat, 01 Jan 2000 00:00:00 UTC\n");
  AptConfig no_check;
  no_check.read("Acquire::Check-Valid-Until \"false\";\n", "99test");
  EXPECT_EQ(load(source, no_check).size(), 1U);
  AptConfig no_dates;
  no_dates.read("Acquire { Check-Date \"no\"; };\n", "99test");
  EXPECT_EQ(load(source, no_dates).size(), 1U);

  source.check_valid_until = false;
  EXPECT_EQ(load(source).size(), 1U);
  // The source's own option wins over the configuration, either way.
  source.check_valid_until = true;
  EXPECT_NE(error_of([&] { (void)load(source, no_check); }).find("is expired"), std::string::npos);
}

TEST_F(RepositoryIndexesTest, AFlatRepositoryWithOnlyPackagesIsReadWhenTrusted) {
  const auto index = load(flat_repository({{"Packages", std::string(kPackagesText)}}, true));
  ASSERT_EQ(index.size(), 1U);
  ASSERT_EQ(index.versions("hello").size(), 1U);
  EXPECT_EQ(index.versions("hello")[0]->url(),
            "file:" + (dir_.path() / "flat" / "pool" / "hello_1.0_amd64.deb").string());
  EXPECT_EQ(warnings_, "");
}

TEST_F(RepositoryIndexesTest, AFlatRepositoryWithoutReleaseIsRefusedWhenNotTrusted) {
  const auto source = flat_repository({{"Packages", std::string(kPackagesText)}}, false);
  const auto message = error_of([&] { (void)load(source); });
  EXPECT_NE(message.find("the repository file:" + (dir_.path() / "flat").string() +
                         " ./ has no Release file (no InRelease, no Release)"),
            std::string::npos)
      << message;
  EXPECT_NE(resolution_of([&] { (void)load(source); }).find("[trusted=yes]"), std::string::npos);
}

TEST_F(RepositoryIndexesTest, ATrustedDirectoryWithNothingInItIsNotARepository) {
  const auto message = error_of([&] { (void)load(flat_repository({}, true)); });
  EXPECT_NE(message.find("there is no repository at file:"), std::string::npos) << message;
}

}  // namespace
}  // namespace gantry::deb
