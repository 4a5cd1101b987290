#include "gantry/deb/resolver.hpp"

#include <gtest/gtest.h>

#include "deb_error_text.hpp"

namespace gantry::deb {
namespace {

std::string stanza(const std::string& name, const std::string& version,
                   const std::string& extra = "", const std::string& arch = "amd64") {
  return "Package: " + name + "\nVersion: " + version + "\nArchitecture: " + arch + "\n" + extra +
         "Filename: pool/" + name + "_" + version +
         ".deb\nSize: 1\nSHA256: " + std::string(64, 'a') + "\n\n";
}

class ResolverTest : public ::testing::Test {
 protected:
  void add(const std::string& text) { index_.add(text, "http://repo", "Packages"); }

  std::vector<std::string> resolved(ResolveRequest request) const {
    std::vector<std::string> ids;
    for (const Package* package : resolve(index_, request)) {
      ids.push_back(package->id());
    }
    return ids;
  }

  std::string failure(const ResolveRequest& request) const {
    return testing::error_of([&] { (void)resolve(index_, request); });
  }

  PackageIndex index_{"amd64"};
};

TEST_F(ResolverTest, TakesTheHighestVersionAndPutsDependenciesFirst) {
  add(stanza("app", "1", "Depends: lib (>= 1.0)\nPre-Depends: pre\n") + stanza("lib", "1.0") +
      stanza("lib", "1.2~rc1") + stanza("pre", "1", "", "all") + stanza("lib", "9", "", "arm64"));
  EXPECT_EQ(resolved({{"app"}, {}, {}}),
            (std::vector<std::string>{"pre=1", "lib=1.2~rc1", "app=1"}));
}

TEST_F(ResolverTest, IgnoresRecommendsAndSuggests) {
  add(stanza("app", "1", "Recommends: r\nSuggests: s\n") + stanza("r", "1") + stanza("s", "1"));
  EXPECT_EQ(resolved({{"app"}, {}, {}}), (std::vector<std::string>{"app=1"}));
}

TEST_F(ResolverTest, PrefersAnAlternativeAlreadyChosen) {
  add(stanza("app", "1", "Depends: mawk | gawk, tool\n") + stanza("tool", "1", "Depends: gawk\n") +
      stanza("mawk", "1") + stanza("gawk", "1"));
  // tool is resolved after the alternative; its gawk is added, mawk stays first choice.
  EXPECT_EQ(resolved({{"app"}, {}, {}}),
            (std::vector<std::string>{"mawk=1", "gawk=1", "tool=1", "app=1"}));
  // When gawk is chosen first, "mawk | gawk" is already satisfied.
  EXPECT_EQ(resolved({{"gawk", "app"}, {}, {}}),
            (std::vector<std::string>{"gawk=1", "tool=1", "app=1"}));
}

TEST_F(ResolverTest, SkipsAnAlternativeThatCannotBeSatisfied) {
  add(stanza("app", "1", "Depends: missing | old (>= 2) | good\n") + stanza("old", "1") +
      stanza("good", "1"));
  EXPECT_EQ(resolved({{"app"}, {}, {}}), (std::vector<std::string>{"good=1", "app=1"}));
}

TEST_F(ResolverTest, SatisfiesVirtualPackagesThroughProvides) {
  add(stanza("app", "1", "Depends: mail-transport-agent, libvirt (>= 2)\n") +
      stanza("postfix", "3", "Provides: mail-transport-agent\nPriority: optional\n") +
      stanza("exim", "4", "Provides: mail-transport-agent\nPriority: important\n") +
      stanza("unversioned", "1", "Provides: libvirt\n") +
      stanza("versioned", "1", "Provides: libvirt (= 2.5)\n"));
  EXPECT_EQ(resolved({{"app"}, {}, {}}),
            (std::vector<std::string>{"exim=4", "versioned=1", "app=1"}));
}

TEST_F(ResolverTest, AnyQualifierNeedsMultiArchAllowed) {
  add(stanza("app", "1", "Depends: python3:any\n") +
      stanza("python3", "3.11", "Multi-Arch: allowed\n") +
      stanza("tool", "1", "Depends: perl:any\n") + stanza("perl", "5", "Multi-Arch: foreign\n"));
  EXPECT_EQ(resolved({{"app"}, {}, {}}), (std::vector<std::string>{"python3=3.11", "app=1"}));
  EXPECT_NE(failure({{"tool"}, {}, {}}).find("':any' needs Multi-Arch: allowed"),
            std::string::npos);
}

TEST_F(ResolverTest, ResolvesCyclesOnce) {
  add(stanza("a", "1", "Depends: b\n") + stanza("b", "1", "Depends: a (= 1)\n"));
  EXPECT_EQ(resolved({{"a"}, {}, {}}), (std::vector<std::string>{"b=1", "a=1"}));
}

TEST_F(ResolverTest, HonoursPinsAndReportsConflicts) {
  add(stanza("app", "1", "Depends: lib (>= 2)\n") + stanza("lib", "1") + stanza("lib", "2"));
  EXPECT_EQ(resolved({{"lib=1"}, {}, {}}), (std::vector<std::string>{"lib=1"}));
  EXPECT_NE(failure({{"lib=1", "app"}, {}, {}})
                .find("app -> lib (>= 2): needs lib=2, but lib=1 is already chosen"),
            std::string::npos);
  EXPECT_NE(failure({{"lib=7"}, {}, {}}).find("lib=7: no such version (available: 2, 1)"),
            std::string::npos);
}

TEST_F(ResolverTest, AcceptsTheNativeArchitectureInARequestAndRefusesAForeignOne) {
  add(stanza("lib", "1"));
  EXPECT_EQ(resolved({{"lib:amd64"}, {}, {}}), (std::vector<std::string>{"lib=1"}));
  EXPECT_EQ(resolved({{"lib:native=1"}, {}, {}}), (std::vector<std::string>{"lib=1"}));
  EXPECT_NE(
      failure({{"lib:i386"}, {}, {}}).find("lib:i386: gantry stages one architecture (amd64)"),
      std::string::npos);
}

TEST_F(ResolverTest, ShowsTheChainToWhatIsMissing) {
  add(stanza("python3-flask", "2", "Depends: python3-werkzeug\n") +
      stanza("python3-werkzeug", "2", "Depends: libjs-jquery\n"));
  EXPECT_NE(failure({{"python3-flask"}, {}, {}})
                .find("python3-flask -> python3-werkzeug -> libjs-jquery: not found"),
            std::string::npos);
  EXPECT_NE(failure({{"nope"}, {}, {}}).find("nope: not found in any repository"),
            std::string::npos);
}

TEST_F(ResolverTest, ExcludedAndInstalledPackagesPullNothingIn) {
  add(stanza("app", "1", "Depends: libc6 (>= 2.30), python3, extra\n") +
      stanza("libc6", "2.36", "Depends: libgcc-s1\n") + stanza("libgcc-s1", "12") +
      stanza("python3", "3.11", "Depends: python3-minimal\n") + stanza("python3-minimal", "3.11") +
      stanza("extra", "1", "Depends: libgcc-s1\n"));
  ResolveRequest request{{"app"}, {"python3"}, {}};
  request.installed = read_dpkg_status(
      "Package: libc6\nStatus: install ok installed\nVersion: 2.36\n\n"
      "Package: old\nStatus: deinstall ok config-files\nVersion: 1\n",
      "status");
  ASSERT_EQ(request.installed.size(), 1U);
  // libgcc-s1 stays: extra still needs it; python3-minimal goes with python3.
  EXPECT_EQ(resolved(request), (std::vector<std::string>{"libgcc-s1=12", "extra=1", "app=1"}));
}

TEST_F(ResolverTest, InstalledVersionsMustStillSatisfyTheRelation) {
  add(stanza("app", "1", "Depends: libc6 (>= 2.36)\n") + stanza("libc6", "2.36"));
  ResolveRequest request{{"app"}, {}, {{"libc6", "2.31", {}}}};
  EXPECT_EQ(resolved(request), (std::vector<std::string>{"libc6=2.36", "app=1"}));
}

}  // namespace
}  // namespace gantry::deb
