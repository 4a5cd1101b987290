// A runner unpacks what clients send: hostile project tars must not write or point
// outside the run's directory, and must be bounded.
#include "transport/project_tar.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "gantry/archive/tar_writer.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::host {
namespace {

using archive::TarEntry;

class ProjectTarTest : public ::testing::Test {
 protected:
  /// A tar of `entries`, each regular file holding `content`, in place of the last one.
  void write_tar(const std::vector<TarEntry>& entries, const std::string& content = "data") {
    tar_ = std::make_unique<Spool>();
    archive::TarWriter writer([this](std::string_view bytes) { tar_->write(bytes); }, 0);
    for (auto entry : entries) {
      if (entry.type == TarEntry::Type::kFile) {
        entry.size = content.size();
        writer.add(entry, [&](const auto& put) { put(content); });
      } else {
        writer.add(entry);
      }
    }
    writer.finish();
  }

  /// The message extraction fails with, or "" when it succeeds.
  std::string extract(std::uint64_t limit = 1 << 20) { return extract_from(*tar_, limit); }
  std::string extract_from(const Spool& tar, std::uint64_t limit = 1 << 20) {
    try {
      extract_project_tar(tar, target_, limit);
      return "";
    } catch (const Error& error) {
      return error.what();
    }
  }

  static TarEntry file(const std::string& name, std::uint32_t mode = 0644) {
    return {.name = name, .type = TarEntry::Type::kFile, .mode = mode};
  }
  static TarEntry link(const std::string& name, const std::string& to) {
    return {.name = name, .type = TarEntry::Type::kSymlink, .mode = 0777, .link = to};
  }

  sdk::TemporaryDirectory scratch_{"gantry-project-tar-"};
  std::unique_ptr<Spool> tar_ = std::make_unique<Spool>();
  std::filesystem::path target_ = scratch_.path() / "run" / "project";
  std::filesystem::path outside_ = scratch_.path() / "run" / "escaped";
};

TEST_F(ProjectTarTest, AProjectRoundTripsWithItsModesAndSymlinks) {
  const sdk::TemporaryDirectory project("gantry-project-");
  std::filesystem::create_directories(project.path() / "src");
  std::ofstream(project.path() / "src" / "app.py") << "print('hi')\n";
  std::ofstream(project.path() / "migrate.sh") << "#!/bin/sh\n";
  std::filesystem::permissions(project.path() / "migrate.sh", std::filesystem::perms::owner_all);
  std::filesystem::create_symlink("src/app.py", project.path() / "main.py");
  std::filesystem::create_directories(project.path() / ".gantry" / "runs");
  std::ofstream(project.path() / "old.rock") << "left out";
  write_project_tar(project.path(), *tar_);
  ASSERT_EQ(extract(), "");
  std::ifstream app(target_ / "src" / "app.py");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(app), {}), "print('hi')\n");
  EXPECT_EQ(std::filesystem::read_symlink(target_ / "main.py"), "src/app.py");
  EXPECT_NE(std::filesystem::status(target_ / "migrate.sh").permissions() &
                std::filesystem::perms::owner_exec,
            std::filesystem::perms::none);
  EXPECT_FALSE(std::filesystem::exists(target_ / ".gantry"));
  EXPECT_FALSE(std::filesystem::exists(target_ / "old.rock"));
}

TEST_F(ProjectTarTest, NamesLeadingOutAreRefused) {
  write_tar({file("../escaped")});
  EXPECT_NE(extract().find("'../escaped' would be written outside the project"), std::string::npos);
  write_tar({file("a/../../escaped")});
  EXPECT_NE(extract().find("would be written outside the project"), std::string::npos);
  write_tar({file("/tmp/absolute")});
  EXPECT_NE(extract().find("would be written outside the project"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(outside_));
}

TEST_F(ProjectTarTest, ASymlinkLeadingOutIsRefused) {
  write_tar({link("escape", "../escaped")});
  EXPECT_NE(extract().find("'escape' is a symlink leading out of the project ('../escaped')"),
            std::string::npos);
  write_tar({link("abs", "/etc")});
  EXPECT_NE(extract().find("symlink leading out"), std::string::npos);
}

TEST_F(ProjectTarTest, NothingIsWrittenThroughASymlink) {
  std::filesystem::create_directories(target_.parent_path());
  write_tar({{.name = "sub/", .type = TarEntry::Type::kDirectory, .mode = 0755},
             link("inside", "sub"),
             file("inside/planted")});
  EXPECT_NE(extract().find("'inside/planted' lies below 'inside', which is not a directory"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(target_ / "sub" / "planted"));
}

TEST_F(ProjectTarTest, HardLinksAndDuplicatesAreRefused) {
  write_tar({file("a"), {.name = "b", .type = TarEntry::Type::kHardLink, .link = "a"}});
  EXPECT_NE(extract().find("'b' is a hard link"), std::string::npos);
  std::filesystem::remove_all(target_);
  write_tar({file("a"), file("a")});
  EXPECT_NE(extract().find("'a': it is in the upload twice"), std::string::npos);
}

TEST_F(ProjectTarTest, SetIdBitsAndOthersWriteAreDropped) {
  write_tar({file("tool", 06777)});
  ASSERT_EQ(extract(), "");
  struct stat info {};
  ASSERT_EQ(::stat((target_ / "tool").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0755U);
}

TEST_F(ProjectTarTest, FilesAddingUpPastTheLimitAreRefused) {
  write_tar({file("one"), file("two"), file("three")}, std::string(400, 'x'));
  EXPECT_NE(extract(1000).find("the project's files add up to more than 1000 bytes"),
            std::string::npos);
}

TEST_F(ProjectTarTest, ATruncatedUploadIsDamaged) {
  write_tar({file("a")}, std::string(5000, 'x'));
  Spool truncated;
  truncated.write(std::string_view(*tar_->memory()).substr(0, 1200));
  EXPECT_NE(extract_from(truncated).find("damaged"), std::string::npos) << extract_from(truncated);
}

TEST_F(ProjectTarTest, AProjectPastTheMemoryLimitGoesThroughAFile) {
  const sdk::TemporaryDirectory project("gantry-project-");
  std::ofstream(project.path() / "big.bin") << std::string(100'000, 'b');
  Spool spilled({}, 4096);
  write_project_tar(project.path(), spilled);
  ASSERT_EQ(spilled.memory(), nullptr);
  ASSERT_EQ(extract_from(spilled), "");
  EXPECT_EQ(std::filesystem::file_size(target_ / "big.bin"), 100'000U);
}

}  // namespace
}  // namespace gantry::host
