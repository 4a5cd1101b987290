#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {

/// A package for a test repository: its control fields and files.
struct TestPackage {
  std::string name;
  std::string version = "1.0";
  std::string architecture = "amd64";
  std::map<std::string, std::string> fields{};    ///< Depends, Provides, Multi-Arch, ...
  std::map<std::string, std::string> files{};     ///< path in the package -> content
  std::map<std::string, std::string> symlinks{};  ///< path -> target
  std::string compression = "xz";                 ///< dpkg-deb -Z: xz, gzip, zstd, none
};

/// A signed apt repository built the way Debian builds one, with the real tools: .debs
/// by `dpkg-deb --build`, Packages by `dpkg-scanpackages`, Release by `apt-ftparchive`,
/// InRelease and Release.gpg by `gpg` with a throwaway key. Layout dists/SUITE/main.
class AptRepository {
 public:
  explicit AptRepository(std::string suite = "stable");
  ~AptRepository();
  AptRepository(const AptRepository&) = delete;
  AptRepository& operator=(const AptRepository&) = delete;

  /// Builds the .deb into the pool; call publish() after the last one.
  std::filesystem::path add(const TestPackage& package);
  /// Adds an already built .deb file to the pool.
  void add_file(const std::filesystem::path& deb);
  /// Writes Packages(.xz), Release, and signs them (unless `sign` is false). `edit`, when
  /// given, changes the Packages text first (for indexes that lie).
  void publish(bool sign = true, const std::function<void(std::string&)>& edit = {});
  /// Makes the Release files publish() writes from now on carry Valid-Until `valid_for`
  /// after their Date (apt-ftparchive's APT::FTPArchive::Release::ValidTime); a negative
  /// time makes them already expired, as a mirror replaying old indexes serves them.
  void set_valid_for(std::chrono::seconds valid_for) { valid_for_ = valid_for; }
  /// Writes a flat repository without any Release: only the index `files` ("Packages",
  /// "Packages.gz", "Packages.xz") in root(), whose Filename fields are relative to it.
  /// A sources line for it is "deb [trusted=yes] URI ./".
  void publish_flat(const std::vector<std::string>& files);

  /// Serves the repository over http on 127.0.0.1; returns its URI.
  std::string serve();
  /// What the http server logged (one line per request).
  [[nodiscard]] std::string http_log() const;

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  [[nodiscard]] std::string file_uri() const { return "file:" + root_.string(); }
  [[nodiscard]] const std::filesystem::path& keyring() const { return keyring_; }
  [[nodiscard]] const std::string& suite() const { return suite_; }
  [[nodiscard]] std::filesystem::path dists() const { return root_ / "dists" / suite_; }
  /// A one-line sources entry for `uri`, with Signed-By this repository's key.
  [[nodiscard]] std::string sources_line(const std::string& uri,
                                         const std::string& options = "") const;

 private:
  sdk::TemporaryDirectory dir_{"gantry-apt-repo-"};
  std::filesystem::path root_ = dir_.path() / "repo";
  std::filesystem::path gnupg_ = dir_.path() / "gnupg";
  std::filesystem::path keyring_ = dir_.path() / "repo-key.gpg";
  std::string suite_;
  std::optional<std::chrono::seconds> valid_for_;
  std::unique_ptr<BackgroundCommand> server_;
};

/// Writes a .deb like `original` but whose data.tar holds `entries` (made by
/// tests/support/hostile_deb.py): ["file", name, content] / ["symlink", name, target] /
/// ["dir", name].
void write_hostile_deb(const std::filesystem::path& original, const std::filesystem::path& out,
                       const std::string& entries_json);

}  // namespace gantry::testing
