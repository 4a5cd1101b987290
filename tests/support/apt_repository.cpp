#include "apt_repository.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>

#include "registry_fixture.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;

void must_run(const CommandSpec& spec) {
  const auto result = run_command(spec);
  ASSERT_EQ(result.exit_code, 0) << spec.argv.front() << " failed:\n" << result.out << result.err;
}

}  // namespace

AptRepository::AptRepository(std::string suite) : suite_(std::move(suite)) {
  fs::create_directories(root_ / "pool");
  fs::create_directories(gnupg_);
  fs::permissions(gnupg_, fs::perms::owner_all);
  const std::map<std::string, std::string> env{{"GNUPGHOME", gnupg_.string()}};
  must_run({.argv = {"gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                     "--quick-gen-key", "gantry test repository <test@example.invalid>", "ed25519",
                     "sign", "never"},
            .env = env});
  must_run(
      {.argv = {"gpg", "--batch", "--yes", "--output", keyring_.string(), "--export"}, .env = env});
}

AptRepository::~AptRepository() {
  if (server_) {
    server_->signal(SIGTERM);
    server_->wait();
  }
}

fs::path AptRepository::add(const TestPackage& package) {
  const fs::path build = dir_.path() / "build" / (package.name + "_" + package.version);
  fs::create_directories(build / "DEBIAN");
  std::string control = "Package: " + package.name + "\nVersion: " + package.version +
                        "\nArchitecture: " + package.architecture +
                        "\nMaintainer: gantry tests <test@example.invalid>\n";
  for (const auto& [name, value] : package.fields) {
    control += name + ": " + value + "\n";
  }
  control += "Description: test package " + package.name + "\n";
  write_file(build / "DEBIAN" / "control", control);
  for (const auto& [path, content] : package.files) {
    write_file(build / path, content);
  }
  for (const auto& [path, target] : package.symlinks) {
    fs::create_directories((build / path).parent_path());
    fs::create_symlink(target, build / path);
  }
  std::string arch_suffix = package.version;
  std::replace(arch_suffix.begin(), arch_suffix.end(), ':', '%');
  const fs::path deb =
      root_ / "pool" / (package.name + "_" + arch_suffix + "_" + package.architecture + ".deb");
  must_run({.argv = {"dpkg-deb", "--root-owner-group", "-Z" + package.compression, "--build",
                     build.string(), deb.string()}});
  return deb;
}

void AptRepository::add_file(const fs::path& deb) {
  fs::copy_file(deb, root_ / "pool" / deb.filename(), fs::copy_options::overwrite_existing);
}

void AptRepository::publish(bool sign, const std::function<void(std::string&)>& edit) {
  const fs::path binary = dists() / "main" / "binary-amd64";
  fs::create_directories(binary);
  const auto packages = run_command(
      {.argv = {"dpkg-scanpackages", "--multiversion", "pool", "/dev/null"}, .cwd = root_});
  ASSERT_EQ(packages.exit_code, 0) << packages.err;
  std::string text = packages.out;
  if (edit) {
    edit(text);
  }
  write_file(binary / "Packages", text);
  must_run({.argv = {"xz", "--keep", "--force", (binary / "Packages").string()}});
  std::vector<std::string> ftparchive{"apt-ftparchive",
                                      "-o",
                                      "APT::FTPArchive::Release::Suite=" + suite_,
                                      "-o",
                                      "APT::FTPArchive::Release::Architectures=amd64",
                                      "-o",
                                      "APT::FTPArchive::Release::Components=main"};
  if (valid_for_) {
    ftparchive.push_back("-o");
    ftparchive.push_back("APT::FTPArchive::Release::ValidTime=" +
                         std::to_string(valid_for_->count()));
  }
  ftparchive.insert(ftparchive.end(), {"release", "."});
  const auto release = run_command({.argv = ftparchive, .cwd = dists()});
  ASSERT_EQ(release.exit_code, 0) << release.err;
  write_file(dists() / "Release", release.out);
  fs::remove(dists() / "InRelease");
  fs::remove(dists() / "Release.gpg");
  if (!sign) {
    return;
  }
  const std::map<std::string, std::string> env{{"GNUPGHOME", gnupg_.string()}};
  must_run({.argv = {"gpg", "--batch", "--yes", "--clearsign", "--output",
                     (dists() / "InRelease").string(), (dists() / "Release").string()},
            .env = env});
  must_run({.argv = {"gpg", "--batch", "--yes", "--armor", "--detach-sign", "--output",
                     (dists() / "Release.gpg").string(), (dists() / "Release").string()},
            .env = env});
}

void AptRepository::publish_flat(const std::vector<std::string>& files) {
  const auto packages = run_command(
      {.argv = {"dpkg-scanpackages", "--multiversion", "pool", "/dev/null"}, .cwd = root_});
  ASSERT_EQ(packages.exit_code, 0) << packages.err;
  write_file(root_ / "Packages", packages.out);
  const auto wanted = [&](const std::string& name) {
    return std::find(files.begin(), files.end(), name) != files.end();
  };
  for (const auto& [name, compressor] :
       {std::pair{"Packages.gz", "gzip"}, std::pair{"Packages.xz", "xz"}}) {
    fs::remove(root_ / name);
    if (wanted(name)) {
      must_run({.argv = {compressor, "--keep", "--force", (root_ / "Packages").string()}});
    }
  }
  if (!wanted("Packages")) {
    fs::remove(root_ / "Packages");
  }
}

std::string AptRepository::serve() {
  const int port = free_port();
  server_ = std::make_unique<BackgroundCommand>(
      CommandSpec{.argv = {"sh", "-c",
                           "exec /usr/bin/python3 -m http.server --bind 127.0.0.1 --directory '" +
                               root_.string() + "' " + std::to_string(port) + " 2>>'" +
                               (dir_.path() / "http.log").string() + "'"},
                  .timeout = std::chrono::seconds(600)});
  EXPECT_TRUE(wait_for_port(port)) << "python3 -m http.server did not start";
  return "http://127.0.0.1:" + std::to_string(port);
}

std::string AptRepository::http_log() const { return read_file(dir_.path() / "http.log"); }

std::string AptRepository::sources_line(const std::string& uri, const std::string& options) const {
  return "deb [signed-by=" + keyring_.string() + (options.empty() ? "" : " " + options) + "] " +
         uri + " " + suite_ + " main\n";
}

void write_hostile_deb(const fs::path& original, const fs::path& out,
                       const std::string& entries_json) {
  must_run({.argv = {"/usr/bin/python3", GANTRY_SOURCE_DIR "/tests/support/hostile_deb.py",
                     original.string(), out.string(), entries_json}});
}

}  // namespace gantry::testing
