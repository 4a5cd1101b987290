#include "gantry/deb/apt_source.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "deb_error_text.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

using testing::error_of;

TEST(AptSourceTest, ReadsOneLineSourcesWithOptions) {
  const auto sources = parse_one_line_sources(
      "# comment\n"
      "deb [arch=amd64,arm64 signed-by=/usr/share/keyrings/k.gpg] http://deb.debian.org/debian/ "
      "bookworm main contrib # trailing\n"
      "deb-src http://deb.debian.org/debian bookworm main\n"
      "deb [trusted=yes] file:/srv/repo ./\n",
      "sources.list");
  ASSERT_EQ(sources.size(), 2U);
  EXPECT_EQ(sources[0].uri, "http://deb.debian.org/debian");
  EXPECT_EQ(sources[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ(sources[0].architectures, (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_EQ(sources[0].keyrings.at(0), "/usr/share/keyrings/k.gpg");
  EXPECT_EQ(sources[0].release_base(), "http://deb.debian.org/debian/dists/bookworm/");
  EXPECT_EQ(sources[0].position.to_string(), "sources.list:2:1");
  EXPECT_TRUE(sources[1].trusted);
  EXPECT_TRUE(sources[1].flat());
  EXPECT_EQ(sources[1].release_base(), "file:/srv/repo/");
}

TEST(AptSourceTest, ReadsDeb822StanzasWithSeveralUrisAndSuites) {
  const auto sources = parse_deb822_sources(
      "Types: deb deb-src\nURIs: http://a/debian http://b/debian\n"
      "Suites: bookworm bookworm-updates\nComponents: main\n"
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
      "Types: deb\nURIs: http://c/\nSuites: x\nComponents: main\nEnabled: no\n\n"
      "Types: deb-src\nURIs: http://d/\nSuites: x\nComponents: main\n",
      "debian.sources");
  ASSERT_EQ(sources.size(), 4U);
  EXPECT_EQ(sources[1].label(), "http://a/debian bookworm-updates main");
  EXPECT_EQ(sources[2].uri, "http://b/debian");
  EXPECT_EQ(sources[3].position.to_string(), "debian.sources:1:1");
}

TEST(AptSourceTest, KeepsAnInlineKey) {
  const auto sources = parse_deb822_sources(
      "Types: deb\nURIs: http://a/\nSuites: s\nComponents: main\nSigned-By:\n"
      " -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n mDMEZ\n -----END PGP PUBLIC KEY BLOCK-----\n",
      "inline.sources");
  ASSERT_EQ(sources.size(), 1U);
  EXPECT_EQ(sources[0].inline_key,
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n");
}

TEST(AptSourceTest, ErrorsSayWhereAndWhatToDo) {
  EXPECT_NE(error_of([] {
              (void)parse_one_line_sources("\n\ndeb http://a\n", "s.list");
            }).find("s.list:3:1: expected 'deb [options] URI SUITE"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parse_one_line_sources("deb ftp://a x main\n", "s.list");
            }).find("uses a scheme gantry cannot fetch from"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parse_one_line_sources("deb http://a bookworm\n", "s.list");
            }).find("s.list:1:1: the suite 'bookworm' has no components"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parse_deb822_sources("Types: deb\nURIs: http://a\n", "x.sources");
            }).find("x.sources:1:1: a stanza needs URIs and Suites"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              (void)parse_one_line_sources("deb [signed-by=ABCDEF] http://a s main\n", "f");
            }).find("is not a keyring file"),
            std::string::npos);
}

TEST(AptSourceTest, ReadsTheSystemConfigurationInOrder) {
  sdk::TemporaryDirectory etc("gantry-etc-apt-");
  testing::write_file(etc.path() / "sources.list", "deb http://one/ s main\n");
  testing::write_file(etc.path() / "sources.list.d" / "b.sources",
                      "Types: deb\nURIs: http://three/\nSuites: s\nComponents: main\n");
  testing::write_file(etc.path() / "sources.list.d" / "a.list", "deb http://two/ s main\n");
  testing::write_file(etc.path() / "sources.list.d" / "c.list.disabled", "deb http://no/ s m\n");
  const auto sources = load_system_sources(etc.path());
  ASSERT_EQ(sources.size(), 3U);
  EXPECT_EQ(sources[0].uri, "http://one");
  EXPECT_EQ(sources[1].uri, "http://two");
  EXPECT_EQ(sources[2].uri, "http://three");
}

TEST(AptSourceTest, ReadsTheDateCheckOptions) {
  const auto one_line = parse_one_line_sources(
      "deb [check-valid-until=no] http://a/ s main\n"
      "deb [check-valid-until=yes check-date=false] http://b/ s main\n"
      "deb http://c/ s main\n",
      "s.list");
  ASSERT_EQ(one_line.size(), 3U);
  EXPECT_EQ(one_line[0].check_valid_until, false);
  EXPECT_EQ(one_line[1].check_valid_until, true);
  EXPECT_EQ(one_line[1].check_date, false);
  EXPECT_EQ(one_line[2].check_valid_until, std::nullopt);  // apt.conf decides
  const auto deb822 = parse_deb822_sources(
      "Types: deb\nURIs: http://a/\nSuites: s\nComponents: main\nCheck-Valid-Until: no\n",
      "x.sources");
  ASSERT_EQ(deb822.size(), 1U);
  EXPECT_EQ(deb822[0].check_valid_until, false);
  EXPECT_NE(error_of([] {
              (void)parse_one_line_sources("deb [check-valid-until=nope] http://a s main\n", "f");
            }).find("f:1:1: check-valid-until is 'nope', which is neither yes nor no"),
            std::string::npos);
}

}  // namespace
}  // namespace gantry::deb
