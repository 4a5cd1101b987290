#include "parts_lifecycle.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "build_tools.hpp"
#include "craftctl_bridge.hpp"
#include "fileset.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/archive/libarchive_error.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/stager.hpp"
#include "gantry/deb/staging_tree.hpp"
#include "gantry/sdk/child_process.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/file_copy.hpp"
#include "gantry/sdk/project_files.hpp"
#include "go_build.hpp"
#include "part_key.hpp"
#include "python_install.hpp"
#include "source_layered_part.hpp"
#include "tree_discarder.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

/// The directories of one part, as craft-parts lays them out.
struct PartDirs {
  fs::path src;
  fs::path build;
  fs::path install;
};

[[noreturn]] void part_failed(const PartSpec& part, const std::string& what,
                              const std::string& resolution) {
  throw Error("part '" + part.name + "' " + what, resolution);
}

/// How regular files move between a part's directories: copied, or hard-linked where
/// nothing will write into them (no override-stage/override-prime script in the project),
/// as craft-parts links files into stage and prime.
enum class FileMove { kCopy, kLink };

/// Puts the regular file `source` at `target` (which must not exist) as `move` says; a
/// copy has the source's permission bits.
void place_file(const fs::path& source, const fs::path& target, FileMove move) {
  std::error_code error;
  if (move == FileMove::kLink) {
    fs::create_hard_link(source, target, error);
    if (!error) {
      return;
    }
  }
  sdk::copy_to_new_file(source, target);
}

/// Copies the tree at `from` into `to`: directories, regular files (copied or linked),
/// symlinks as they are; entries `skip` names (relative paths) are left out.
void copy_tree(const fs::path& from, const fs::path& to,
               const std::function<bool(const std::string&)>& skip = {},
               FileMove move = FileMove::kCopy) {
  fs::create_directories(to);
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(from, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().lexically_relative(from).string();
    if (skip && skip(name)) {
      it.disable_recursion_pending();
      continue;
    }
    const fs::path target = to / name;
    const auto status = it->symlink_status();
    if (fs::is_symlink(status)) {
      fs::remove(target);
      fs::create_symlink(fs::read_symlink(it->path()), target);
    } else if (fs::is_directory(status)) {
      fs::create_directories(target);
      fs::permissions(target, status.permissions());
    } else if (fs::is_regular_file(status)) {
      fs::remove(target);
      place_file(it->path(), target, move);
    }
  }
  if (error) {
    throw Error("cannot copy " + from.string() + ": " + error.message());
  }
}

/// Extracts a tarball into `into`, through the same checks as .deb data: no "..", no
/// absolute names, no write through a symlink that leads out.
void extract_tarball(const PartSpec& part, const fs::path& tarball, const fs::path& into) {
  std::unique_ptr<struct archive, decltype(&archive_read_free)> reader(archive_read_new(),
                                                                       &archive_read_free);
  archive_read_support_format_all(reader.get());
  archive_read_support_filter_all(reader.get());
  if (archive_read_open_filename(reader.get(), tarball.c_str(), 1 << 16) != ARCHIVE_OK) {
    part_failed(part,
                "cannot read its source " + tarball.string() + ": " +
                    archive::libarchive_error(reader.get()),
                "Check that the source is a tar archive.");
  }
  deb::StagingTree tree(into, [](const std::string&) {});
  try {
    struct archive_entry* entry = nullptr;
    while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
      const char* pathname = archive_entry_pathname(entry);
      const char* link_target = archive_entry_symlink(entry);
      if (pathname == nullptr ||
          (archive_entry_filetype(entry) == AE_IFLNK && link_target == nullptr)) {
        part_failed(part,
                    "has a source " + tarball.string() +
                        " with an entry that has no name, or a link that has no target",
                    "Check the source archive: tar -tvf lists its entries.");
      }
      const std::string name = pathname;
      const auto mode = static_cast<std::uint32_t>(archive_entry_perm(entry));
      const auto mtime = static_cast<std::int64_t>(archive_entry_mtime(entry));
      if (const char* hardlink = archive_entry_hardlink(entry)) {
        tree.add_hardlink(name, hardlink);
      } else if (archive_entry_filetype(entry) == AE_IFDIR) {
        tree.add_directory(name, mode);
      } else if (archive_entry_filetype(entry) == AE_IFLNK) {
        tree.add_symlink(name, link_target, mtime);
      } else if (archive_entry_filetype(entry) == AE_IFREG) {
        tree.add_file(name, mode, mtime, [&](const auto& write) {
          std::array<char, 1 << 16> buffer{};
          for (auto got = archive_read_data(reader.get(), buffer.data(), buffer.size()); got > 0;
               got = archive_read_data(reader.get(), buffer.data(), buffer.size())) {
            write({buffer.data(), static_cast<std::size_t>(got)});
          }
        });
      }
    }
  } catch (const deb::DebError& error) {
    part_failed(part, "has a source tarball that is refused: " + std::string(error.what()),
                "The archive " + tarball.string() +
                    " is malformed or hostile; nothing was written outside the part.");
  }
}

bool is_tarball(const std::string& source) {
  for (const auto* suffix :
       {".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst"}) {
    if (source.ends_with(suffix)) {
      return true;
    }
  }
  return false;
}

/// Creates the directories down to `dir` below `root` with mode 0755, whatever the umask,
/// so that the same project gives the same rock on any machine.
void make_directories(const fs::path& root, const fs::path& dir) {
  const auto relative = dir.lexically_relative(root);
  fs::path current = root;
  for (const auto& component : relative) {
    current /= component;
    if (!fs::exists(fs::symlink_status(current))) {
      fs::create_directory(current);
      fs::permissions(current, fs::perms(0755));
    }
  }
}

/// Files that differ as a stage conflict sees them: kind, content, link target, mode.
bool same_entry(const fs::path& a, const fs::path& b) {
  struct stat sa {};
  struct stat sb {};
  if (::lstat(a.c_str(), &sa) != 0 || ::lstat(b.c_str(), &sb) != 0) {
    return false;
  }
  if ((sa.st_mode & S_IFMT) != (sb.st_mode & S_IFMT)) {
    return false;
  }
  if (S_ISDIR(sa.st_mode)) {
    return true;
  }
  if (S_ISLNK(sa.st_mode)) {
    return fs::read_symlink(a) == fs::read_symlink(b);
  }
  if ((sa.st_mode & 07777U) != (sb.st_mode & 07777U) || sa.st_size != sb.st_size) {
    return false;
  }
  std::ifstream fa(a, std::ios::binary);
  std::ifstream fb(b, std::ios::binary);
  return std::equal(std::istreambuf_iterator<char>(fa), std::istreambuf_iterator<char>(),
                    std::istreambuf_iterator<char>(fb), std::istreambuf_iterator<char>());
}

/// Copies the selected entries (relative to `from`) into `to`. A directory gets only its
/// own entry; what it holds is listed separately.
void migrate(const fs::path& from, const fs::path& to, const std::vector<std::string>& entries,
             FileMove move) {
  for (const auto& name : entries) {
    const fs::path source = from / name;
    const fs::path target = to / name;
    const auto status = fs::symlink_status(source);
    fs::create_directories(target.parent_path());
    if (fs::is_directory(status)) {
      if (!fs::is_directory(fs::symlink_status(target))) {
        fs::create_directories(target);
      }
      fs::permissions(target, status.permissions());
    } else if (fs::is_symlink(status)) {
      fs::remove(target);
      fs::create_symlink(fs::read_symlink(source), target);
    } else if (fs::is_regular_file(status)) {
      fs::remove(target);
      place_file(source, target, move);
    }
  }
}

/// The Debian triplet of an architecture, for CRAFT_ARCH_TRIPLET_BUILD_FOR.
std::string triplet(const std::string& arch) {
  static const std::map<std::string, std::string> kTriplets{
      {"amd64", "x86_64-linux-gnu"},        {"arm64", "aarch64-linux-gnu"},
      {"armhf", "arm-linux-gnueabihf"},     {"i386", "i386-linux-gnu"},
      {"ppc64el", "powerpc64le-linux-gnu"}, {"riscv64", "riscv64-linux-gnu"},
      {"s390x", "s390x-linux-gnu"}};
  const auto found = kTriplets.find(arch);
  return found == kTriplets.end() ? arch + "-linux-gnu" : found->second;
}

/// Runs the parts of one project.
class Lifecycle {
 public:
  Lifecycle(const RockProject& project, const LifecycleOptions& options)
      : project_(project), options_(options) {
    // Any command that runs (a script, a make build) can write into $CRAFT_STAGE, another
    // part's directories or prime, and so through a link into the project or the cache:
    // links only when nothing runs.
    const bool runs_commands =
        std::any_of(project.parts.begin(), project.parts.end(), [](const PartSpec& p) {
          return p.override_pull || p.override_build || p.override_stage || p.override_prime ||
                 (p.plugin != "nil" && p.plugin != "dump");
        });
    move_ = runs_commands ? FileMove::kCopy : FileMove::kLink;
    if (options.layers_from_sources) {
      for (const auto& part : project.parts) {
        if (auto root = source_layered_root(part, runs_commands, options.project_dir,
                                            options.work_dir, options.output_dir)) {
          source_roots_.emplace(part.name, std::move(*root));
        }
      }
    }
  }

  PrimedTree run() {
    const auto order = processing_order(project_);
    compute_keys(order);
    if (auto previous = read_record(primed_); previous && fs::is_directory(prime_dir())) {
      options_.info("Nothing changed since the last pack: reusing its primed tree");
      return *previous;
    }
    fs::remove(record_file());
    discarder_.discard({options_.work_dir / "parts", stage_dir(), prime_dir()});
    fs::create_directories(stage_dir());
    fs::create_directories(prime_dir());
    for (const PartSpec* part : order) {
      if (!cached_install(*part)) {
        check_build_tools(*part);
      }
    }
    for (const PartSpec* part : order) {
      check_cancelled();
      if (cached_install(*part) || source_roots_.contains(part->name)) {
        continue;
      }
      options_.info("Pulling " + part->name);
      step(*part, "PULL", part->override_pull, dirs(*part).src, [&] { pull(*part); });
    }
    for (const PartSpec* part : order) {
      check_cancelled();
      if (const auto root = source_roots_.find(part->name); root != source_roots_.end()) {
        options_.info("Staging " + part->name + " from its source, " + root->second.string());
        stage_from_source(*part, root->second);
        continue;
      }
      if (const auto cached = cached_install(*part)) {
        options_.info("Reusing " + part->name + ": its definition and source are unchanged");
        copy_tree(*cached, dirs(*part).install, {}, move_);
      } else {
        options_.info("Building " + part->name);
        prepare_build(*part);
        step(*part, "BUILD", part->override_build, dirs(*part).build, [&] { build(*part); });
        organize(*part);
        remember_install(*part);
      }
      options_.info("Staging " + part->name);
      step(*part, "STAGE", part->override_stage, stage_dir(), [&] { stage(*part); });
    }
    for (const PartSpec* part : order) {
      check_cancelled();
      options_.info("Priming " + part->name);
      if (const auto root = source_roots_.find(part->name); root != source_roots_.end()) {
        prime_from_source(*part);
        primed_.part_roots[part->name] = root->second;
        continue;
      }
      step(*part, "PRIME", part->override_prime, prime_dir(), [&] { prime(*part); });
    }
    primed_.prime_dir = prime_dir();
    primed_.craftctl_values = values_;
    for (const PartSpec* part : order) {
      primed_.parts.emplace_back(part->name, primed_by_[part->name]);
    }
    write_record(primed_);
    return primed_;
  }

 private:
  [[nodiscard]] fs::path stage_dir() const { return options_.work_dir / "stage"; }
  [[nodiscard]] fs::path prime_dir() const { return options_.work_dir / "prime"; }
  void compute_keys(const std::vector<const PartSpec*>& order) {
    for (const PartSpec* part : order) {
      std::vector<std::string> dependency_keys;
      for (const auto& dependency : part->after) {
        dependency_keys.push_back(primed_.part_keys[dependency]);
      }
      const auto key = part_key(
          project_, *part, options_.project_dir, options_.output_dir, options_.build_for,
          options_.apt_sources, dependency_keys,
          source_roots_.contains(part->name) ? SourceState::kMetadata : SourceState::kContent);
      primed_.part_keys[part->name] = key.digest;
      primed_.part_epochs[part->name] = key.newest;
      primed_.prime_definition += part->name + "\n" + part->override_stage.value_or("") + "\n" +
                                  part->override_prime.value_or("") + "\n";
      for (const auto& pattern : part->stage) {
        primed_.prime_definition += "stage " + pattern + "\n";
      }
      for (const auto& pattern : part->prime) {
        primed_.prime_definition += "prime " + pattern + "\n";
      }
      for (const auto& permission : part->permissions) {
        primed_.prime_definition += "permission " + permission.path + " " +
                                    std::to_string(permission.owner.value_or(UINT32_MAX)) + " " +
                                    std::to_string(permission.group.value_or(UINT32_MAX)) + " " +
                                    std::to_string(permission.mode.value_or(UINT32_MAX)) + "\n";
      }
    }
  }

  [[nodiscard]] fs::path record_file() const { return options_.work_dir / "primed.json"; }

  /// The last pack's primed tree, when every part's key and the stage/prime definitions
  /// are what they are now (a part without a key never matches).
  [[nodiscard]] std::optional<PrimedTree> read_record(const PrimedTree& now) const {
    std::ifstream in(record_file());
    if (!in) {
      return std::nullopt;
    }
    try {
      const auto json = nlohmann::json::parse(in);
      PrimedTree previous;
      previous.prime_dir = prime_dir();
      previous.part_keys = json.at("keys").get<std::map<std::string, std::string>>();
      previous.part_epochs = json.at("epochs").get<std::map<std::string, std::int64_t>>();
      previous.prime_definition = json.at("definition").get<std::string>();
      previous.craftctl_values = json.at("values").get<std::map<std::string, std::string>>();
      previous.parts =
          json.at("parts").get<std::vector<std::pair<std::string, std::vector<std::string>>>>();
      for (const auto& [part, root] : json.at("roots").items()) {
        previous.part_roots[part] = root.get<std::string>();
      }
      for (const auto& [path, owner] : json.at("ownership").items()) {
        Ownership ownership;
        if (owner.contains("uid")) {
          ownership.uid = owner["uid"].get<std::uint32_t>();
        }
        if (owner.contains("gid")) {
          ownership.gid = owner["gid"].get<std::uint32_t>();
        }
        if (owner.contains("mode")) {
          ownership.mode = owner["mode"].get<std::uint32_t>();
        }
        previous.ownership[path] = ownership;
      }
      const bool all_keyed = std::none_of(now.part_keys.begin(), now.part_keys.end(),
                                          [](const auto& entry) { return entry.second.empty(); });
      if (!all_keyed || previous.part_keys != now.part_keys ||
          previous.prime_definition != now.prime_definition) {
        return std::nullopt;
      }
      return previous;
    } catch (const nlohmann::json::exception&) {
      return std::nullopt;  // an unreadable record only costs a full run
    }
  }

  void write_record(const PrimedTree& primed) const {
    nlohmann::json ownership = nlohmann::json::object();
    for (const auto& [path, owner] : primed.ownership) {
      auto& entry = ownership[path] = nlohmann::json::object();
      if (owner.uid) {
        entry["uid"] = *owner.uid;
      }
      if (owner.gid) {
        entry["gid"] = *owner.gid;
      }
      if (owner.mode) {
        entry["mode"] = *owner.mode;
      }
    }
    const nlohmann::json json{{"keys", primed.part_keys},
                              {"epochs", primed.part_epochs},
                              {"definition", primed.prime_definition},
                              {"values", primed.craftctl_values},
                              {"parts", primed.parts},
                              {"roots", primed.part_roots},
                              {"ownership", ownership}};
    archive::write_file_atomically(record_file(), json.dump(),
                                   archive::AtomicFile::Durability::kUnsynced);
  }

  /// The Ubuntu release the rock's binaries are built for: build-base, else base.
  [[nodiscard]] std::string build_base() const {
    return project_.build_base.empty() ? project_.base : project_.build_base;
  }

  /// Whether nothing will write into the part's files in place: a nil or dump part with
  /// no scripts at all, whose files may then be hard links to the project's own (as
  /// craft-parts links local sources); anything that runs commands gets copies.
  [[nodiscard]] bool untouched(const PartSpec& part) const {
    return move_ == FileMove::kLink && (part.plugin == "dump" || part.plugin == "nil") &&
           !part.override_pull && !part.override_build;
  }

  /// The cached install directory of a part whose key matches, if there is one.
  [[nodiscard]] std::optional<fs::path> cached_install(const PartSpec& part) const {
    const auto& key = primed_.part_keys.at(part.name);
    const fs::path entry = options_.work_dir / "cache" / "parts" / part.name / key;
    if (key.empty() || !fs::exists(entry / "complete")) {
      return std::nullopt;
    }
    return entry / "install";
  }

  /// Keeps the part's install directory for the next pack (only the newest per part).
  void remember_install(const PartSpec& part) const {
    const auto& key = primed_.part_keys.at(part.name);
    if (key.empty()) {
      return;
    }
    const fs::path parent = options_.work_dir / "cache" / "parts" / part.name;
    fs::remove_all(parent);
    const fs::path building = parent / (key + ".building");
    copy_tree(dirs(part).install, building / "install", {}, move_);
    std::ofstream(building / "complete") << "complete\n";
    fs::rename(building, parent / key);
  }

  [[nodiscard]] PartDirs dirs(const PartSpec& part) const {
    const fs::path root = options_.work_dir / "parts" / part.name;
    return {root / "src", root / "build", root / "install"};
  }

  void check_cancelled() const {
    if (options_.cancelled()) {
      throw Cancelled();
    }
  }

  /// One lifecycle step of a part: its override script (with craftctl default wired to
  /// `action`) or `action` itself.
  /// Runs a lifecycle step of `part`: its override script when there is one (`action` is
  /// what `craftctl default` does), else `action`. `plugin_command` names a script that is
  /// the plugin's own build (e.g. "go build"), for the message when it fails.
  void step(const PartSpec& part, const std::string& name, const std::optional<std::string>& script,
            const fs::path& workdir, const std::function<void()>& action,
            const std::string& plugin_command = {}) {
    const auto d = dirs(part);
    for (const auto& dir : {d.src, d.build, d.install, workdir}) {
      fs::create_directories(dir);
    }
    if (!script) {
      action();
      return;
    }
    const fs::path channel =
        options_.work_dir / "parts" / part.name / ("run-" + std::to_string(++scripts_run_));
    fs::create_directories(channel);
    CraftctlBridge bridge(channel, action, values_);
    const std::string text = "set -euo pipefail\n" + *script + "\n";
    auto env = environment(part, name);
    bridge.extend_environment(env);
    std::deque<std::string> tail;
    const auto run = sdk::run_captured(
        {"/bin/bash", {"bash", "-c", text}, sdk::environment_strings(env), workdir},
        [&] { return options_.cancelled(); },
        [&](sdk::OutputStream, std::string_view line) {
          options_.info(":: " + std::string(line));
          tail.emplace_back(line);
          if (tail.size() > 20) {
            tail.pop_front();
          }
        });
    check_cancelled();
    bridge.rethrow_failure();
    if (run.status.exit_code != 0) {
      std::string output;
      for (const auto& line : tail) {
        output += "\n  " + line;
      }
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!plugin_command.empty()) {
        part_failed(part,
                    "failed: " + plugin_command + " exited with " +
                        std::to_string(run.status.exit_code) +
                        (output.empty() ? "" : "; its last output:" + output),
                    "Check the part's source and its " + part.plugin + " plugin settings.");
      }
      part_failed(
          part,
          "failed: its override-" + lower + " script " +
              (run.status.signal != 0 ? "was killed by signal " + std::to_string(run.status.signal)
                                      : "exited with " + std::to_string(run.status.exit_code)) +
              (output.empty() ? "" : "; its last output:" + output),
          "Fix the script in rockcraft.yaml (parts." + part.name + ".override-" + lower + ").");
    }
  }

  std::map<std::string, std::string> environment(const PartSpec& part,
                                                 const std::string& step_name) const {
    auto env = sdk::environment_map();
    const auto d = dirs(part);
    const fs::path src_work = part.source_subdir.empty() ? d.src : d.src / part.source_subdir;
    const fs::path build_work = part.source_subdir.empty() ? d.build : d.build / part.source_subdir;
    env["CRAFT_PART_NAME"] = part.name;
    env["CRAFT_STEP_NAME"] = step_name;
    env["CRAFT_PART_SRC"] = d.src.string();
    env["CRAFT_PART_SRC_WORK"] = src_work.string();
    env["CRAFT_PART_BUILD"] = d.build.string();
    env["CRAFT_PART_BUILD_WORK"] = build_work.string();
    env["CRAFT_PART_INSTALL"] = d.install.string();
    env["CRAFT_STAGE"] = stage_dir().string();
    env["CRAFT_PRIME"] = prime_dir().string();
    env["CRAFT_PROJECT_NAME"] = project_.name;
    env["CRAFT_PROJECT_DIR"] = options_.project_dir.string();
    env["CRAFT_PROJECT_VERSION"] = project_.version;
    env["CRAFT_ARCH_BUILD_FOR"] = options_.build_for;
    env["CRAFT_ARCH_BUILD_ON"] = options_.build_for;
    env["CRAFT_ARCH_TRIPLET_BUILD_FOR"] = triplet(options_.build_for);
    env["CRAFT_ARCH_TRIPLET_BUILD_ON"] = triplet(options_.build_for);
    env["CRAFT_PARALLEL_BUILD_COUNT"] =
        std::to_string(std::max(1U, std::thread::hardware_concurrency()));
    if (part.plugin == "go") {
      env["GOBIN"] = (d.install / "bin").string();
      if (!env.contains("HOME") && !env.contains("GOPATH")) {
        env["GOPATH"] = (options_.work_dir / "cache" / "go").string();
        env["GOCACHE"] = (options_.work_dir / "cache" / "go-build").string();
      }
    }
    for (const auto& [name, value] : part.build_environment) {
      env[name] = value;
    }
    return env;
  }

  /// The part's build-packages and build-snaps, which gantry does not install, are here.
  void check_build_tools(const PartSpec& part) const {
    const auto packages = missing_build_packages(part.build_packages);
    if (!packages.empty()) {
      std::string list;
      for (const auto& package : packages) {
        list += (list.empty() ? "" : " ") + package;
      }
      part_failed(part, "needs build-packages that are not installed: " + list,
                  "Install them on this machine (`sudo apt-get install " + list +
                      "`): gantry builds here and installs no packages itself.");
    }
    const auto env = environment(part, "BUILD");
    const auto snaps =
        missing_build_snaps(part.build_snaps, env.contains("PATH") ? env.at("PATH") : "");
    if (!snaps.empty()) {
      std::string list, debian;
      for (const auto& snap : snaps) {
        list += (list.empty() ? "" : ", ") + snap;
        debian += (debian.empty() ? "" : " ") + debian_package_for_snap(snap);
      }
      part_failed(part, "needs the build-snaps " + list + ", whose commands are not on PATH",
                  "gantry installs no snaps: install the tools from Debian (`sudo apt-get "
                  "install " +
                      debian + "`) or put them on PATH.");
    }
  }

  /// stage-packages as Debian packages: a chisel slice (`bash_bins`) is staged as its whole
  /// package, since gantry has no chisel; this is said once per part.
  std::vector<std::string> whole_packages(const PartSpec& part) const {
    std::vector<std::string> packages;
    std::string sliced;
    for (const auto& name : part.stage_packages) {
      const auto underscore = name.find('_');
      std::string package = name.substr(0, underscore);
      if (underscore != std::string::npos) {
        sliced += (sliced.empty() ? "" : ", ") + name;
      }
      if (std::find(packages.begin(), packages.end(), package) == packages.end()) {
        packages.push_back(std::move(package));
      }
    }
    if (!sliced.empty()) {
      options_.warn(part.name + ": chisel slices are staged as whole Debian packages (" + sliced +
                    "): gantry has no chisel");
    }
    return packages;
  }

  void pull(const PartSpec& part) {
    const auto d = dirs(part);
    if (part.source.empty()) {
      return;
    }
    if (part.source.starts_with("http://") || part.source.starts_with("https://") ||
        part.source.starts_with("git") || part.source_type == "git" ||
        part.source.ends_with(".git")) {
      if (part.source_type == "git" || part.source.ends_with(".git") ||
          part.source.starts_with("git")) {
        pull_git(part);
        return;
      }
      part_failed(part, "has a remote source '" + part.source + "', which gantry cannot fetch yet",
                  "Download it first and give its local path as the source.");
    }
    const fs::path source = (options_.project_dir / part.source).lexically_normal();
    if (fs::is_directory(source)) {
      const fs::path work = fs::weakly_canonical(options_.work_dir);
      // The project's own work directory and packed rocks are not part of any source.
      copy_tree(
          source, d.src,
          [&](const std::string& name) {
            return sdk::left_out_of_sources(name) || fs::weakly_canonical(source / name) == work ||
                   (!options_.output_dir.empty() && fs::weakly_canonical(source / name) ==
                                                        fs::weakly_canonical(options_.output_dir));
          },
          untouched(part) ? FileMove::kLink : FileMove::kCopy);
    } else if (fs::is_regular_file(source) &&
               (part.source_type == "tar" || is_tarball(part.source))) {
      extract_tarball(part, source, d.src);
    } else {
      part_failed(part, "has the source '" + part.source + "', which does not exist",
                  "Give a directory or tarball relative to the project.");
    }
  }

  void pull_git(const PartSpec& part) {
    const auto d = dirs(part);
    fs::remove_all(d.src);
    std::vector<std::string> argv{"git", "clone", "--quiet"};
    if (part.source_commit.empty()) {
      argv.insert(argv.end(), {"--depth", "1"});
    }
    if (!part.source_branch.empty() || !part.source_tag.empty()) {
      argv.insert(argv.end(),
                  {"--branch", part.source_tag.empty() ? part.source_branch : part.source_tag});
    }
    const fs::path local = options_.project_dir / part.source;
    argv.insert(argv.end(), {fs::exists(local) ? local.string() : part.source, d.src.string()});
    run_tool(part, argv, options_.project_dir);
    if (!part.source_commit.empty()) {
      run_tool(part, {"git", "-C", d.src.string(), "checkout", "--quiet", part.source_commit},
               options_.project_dir);
    }
  }

  void run_tool(const PartSpec& part, const std::vector<std::string>& argv,
                const fs::path& workdir) const {
    const auto env = environment(part, "BUILD");
    const auto path = env.contains("PATH") ? env.at("PATH") : "/usr/bin:/bin";
    const auto executable = sdk::resolve_executable(argv.front(), path, workdir);
    const auto run = sdk::run_captured({executable, argv, sdk::environment_strings(env), workdir},
                                       [&] { return options_.cancelled(); });
    check_cancelled();
    if (run.status.exit_code != 0) {
      std::string command;
      for (std::size_t i = 0; i < std::min<std::size_t>(argv.size(), 4); ++i) {
        command += (i == 0 ? "" : " ") + argv[i];
      }
      const std::string output =
          run.err.size() > 2000 ? run.err.substr(run.err.size() - 2000) : run.err;
      part_failed(part,
                  "failed: `" + command + " ...` exited with " +
                      std::to_string(run.status.exit_code) + ": " + output,
                  "Check the part's settings (source, python-packages, PIP_INDEX_URL / "
                  "PIP_FIND_LINKS for a mirror or wheels of your own).");
    }
  }

  /// What craft-parts does before a part's build, override-build or not: its
  /// stage-packages unpacked into the install directory, its source copied to build.
  void prepare_build(const PartSpec& part) {
    const auto d = dirs(part);
    fs::create_directories(d.install);
    if (!part.stage_packages.empty()) {
      deb::StageRequest request;
      request.packages = whole_packages(part);
      request.into = d.install;
      request.architecture = options_.build_for;
      request.sources = options_.apt_sources;
      request.cache_dir = options_.deb_cache;
      deb::StageReporter reporter;
      reporter.info = [&](const std::string& message) {
        options_.info(part.name + ": " + message);
      };
      reporter.warn = [&](const std::string& message) {
        options_.warn(part.name + ": " + message);
      };
      reporter.cancelled = options_.cancelled;
      try {
        deb::stage_packages(request, reporter);
      } catch (const deb::DebError& error) {
        part_failed(part, "cannot stage its stage-packages: " + std::string(error.what()),
                    error.resolution());
      }
    }
    fs::create_directories(d.build);
    if (fs::exists(d.src)) {
      copy_tree(d.src, d.build, {}, untouched(part) ? FileMove::kLink : FileMove::kCopy);
    }
  }

  void build(const PartSpec& part) {
    const auto d = dirs(part);
    const fs::path work = part.source_subdir.empty() ? d.build : d.build / part.source_subdir;
    const auto inside =
        fs::weakly_canonical(work).lexically_relative(fs::weakly_canonical(d.build));
    if (inside.empty() || inside.is_absolute() ||
        (inside.begin() != inside.end() && *inside.begin() == "..")) {
      part_failed(part,
                  "has source-subdir '" + part.source_subdir + "', which leads out of its source",
                  "source-subdir names a directory inside the part's source.");
    }
    if (!fs::is_directory(work)) {
      part_failed(part,
                  "has source-subdir '" + part.source_subdir + "', which is not in its source",
                  "Check source-subdir.");
    }
    if (part.plugin == "nil") {
      return;
    }
    if (part.plugin == "dump") {
      copy_tree(work, d.install, {}, untouched(part) ? FileMove::kLink : FileMove::kCopy);
      return;
    }
    if (part.plugin == "make") {
      const std::string jobs = std::to_string(std::max(1U, std::thread::hardware_concurrency()));
      step(
          part, "BUILD",
          "make -j" + jobs + "\nmake -j" + jobs + " install DESTDIR=\"$CRAFT_PART_INSTALL\"", work,
          [] {}, "make");
      return;
    }
    if (part.plugin == "python") {
      if (part.python_packages.empty() && part.python_requirements.empty()) {
        return;
      }
      PythonInstall install;
      install.packages = part.python_packages;
      for (const auto& requirements : part.python_requirements) {
        install.requirements.push_back(work / requirements);
      }
      install.python_version = rock_python_version({d.install, stage_dir()}, build_base());
      install.build_for = options_.build_for;
      install.glibc_minor = base_glibc_minor(build_base());
      options_.info(part.name + ": installing Python packages for Python " +
                    install.python_version + " with pip");
      run_tool(part, pip_command(install, d.install), work);
      return;
    }
    if (part.plugin == "go") {
      GoBuild go;
      go.buildtags = part.go_buildtags;
      go.generate = part.go_generate;
      go.jobs = std::max(1U, std::thread::hardware_concurrency());
      step(
          part, "BUILD", go_build_script(go), work, [] {}, "go install");
      return;
    }
    part_failed(part,
                "uses the '" + part.plugin + "' plugin, which gantry rock-pack does not run yet",
                "Use nil, dump, make, python or go, or an override-build script.");
  }

  void organize(const PartSpec& part) {
    const fs::path install = dirs(part).install;
    for (const auto& [from, to] : part.organize) {
      std::vector<fs::path> sources;
      std::error_code error;
      for (auto it = fs::recursive_directory_iterator(install, error);
           !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
        const std::string name = it->path().lexically_relative(install).string();
        if (matches_path(from, name) &&
            !matches_path(from, fs::path(name).parent_path().string())) {
          sources.push_back(it->path());
          it.disable_recursion_pending();
        }
      }
      if (sources.empty() && from.find_first_of("*?[") != std::string::npos) {
        continue;  // a pattern that matches nothing moves nothing, as in craft-parts
      }
      if (sources.empty()) {
        part_failed(part, "organizes '" + from + "', which it did not install",
                    "Check the organize entry against what the part builds.");
      }
      const bool into_directory = to.ends_with('/') || sources.size() > 1;
      for (const auto& source : sources) {
        fs::path target = install / to;
        if (into_directory) {
          target /= source.filename();
        }
        const auto inside =
            fs::weakly_canonical(target).lexically_relative(fs::weakly_canonical(install));
        if (inside.empty() || inside.is_absolute() || *inside.begin() == "..") {
          part_failed(part,
                      "organizes '" + from + "' to '" + to + "', outside its install directory",
                      "Organize targets are relative to the part's install directory.");
        }
        make_directories(install, target.parent_path());
        if (fs::exists(fs::symlink_status(target)) && !fs::is_directory(target)) {
          part_failed(part, "organizes '" + from + "' onto '" + to + "', which exists",
                      "Organize it somewhere else, or remove the other file.");
        }
        if (fs::is_directory(target) && fs::is_directory(source)) {
          copy_tree(source, target);
          fs::remove_all(source);
        } else {
          fs::rename(source, target);
        }
      }
    }
  }

  void stage(const PartSpec& part) {
    const fs::path install = dirs(part).install;
    const auto entries = Fileset(part.stage).select(install);
    check_stage_conflicts(part, install, entries);
    migrate(install, stage_dir(), entries, move_);
    for (const auto& name : entries) {
      staged_by_.emplace(name, part.name);
      staged_files_[part.name].push_back(name);
    }
  }

  /// Where a staged path's content is: stage/, or the source of the part that staged it
  /// from its source.
  [[nodiscard]] fs::path staged_path(const std::string& name) const {
    if (const auto owner = staged_by_.find(name); owner != staged_by_.end()) {
      if (const auto root = source_roots_.find(owner->second); root != source_roots_.end()) {
        return root->second / name;
      }
    }
    return stage_dir() / name;
  }

  void check_stage_conflicts(const PartSpec& part, const fs::path& root,
                             const std::vector<std::string>& entries) const {
    for (const auto& name : entries) {
      if (const auto owner = staged_by_.find(name); owner != staged_by_.end() &&
                                                    owner->second != part.name &&
                                                    !same_entry(root / name, staged_path(name))) {
        throw Error(
            "Failed to stage: parts list the same file with different contents or "
            "permissions. Parts '" +
                owner->second + "' and '" + part.name + "' list the following files: " + name,
            "Keep the file in one part only (stage: [\"-" + name +
                "\"] in the other), or make both identical.");
      }
    }
  }

  /// Stage for a part layered from its source: what it stages is listed, not copied.
  void stage_from_source(const PartSpec& part, const fs::path& root) {
    const auto entries = Fileset(part.stage).select(root);
    check_stage_conflicts(part, root, entries);
    for (const auto& name : entries) {
      staged_by_.emplace(name, part.name);
      staged_files_[part.name].push_back(name);
    }
  }

  /// Prime for a part layered from its source: everything it staged (its prime fileset
  /// is the default), into its layer unless an earlier part has the path.
  void prime_from_source(const PartSpec& part) {
    auto& mine = primed_by_[part.name];
    for (const auto& name : staged_files_[part.name]) {
      if (primed_owner_.emplace(name, part.name).second ||
          fs::is_directory(source_roots_.at(part.name) / name)) {
        mine.push_back(name);
      }
    }
  }

  void prime(const PartSpec& part) {
    const Fileset fileset(part.prime);
    std::set<std::string> chosen;
    for (const auto& name : staged_files_[part.name]) {
      if (fileset.selects(name)) {
        chosen.insert(name);
        // The directories that hold it come along.
        for (auto slash = name.find('/'); slash != std::string::npos;
             slash = name.find('/', slash + 1)) {
          chosen.insert(name.substr(0, slash));
        }
      }
    }
    const std::vector<std::string> entries(chosen.begin(), chosen.end());
    migrate(stage_dir(), prime_dir(), entries, move_);
    auto& mine = primed_by_[part.name];
    for (const auto& name : entries) {
      // A path two parts both staged goes into the first part's layer only.
      if (primed_owner_.emplace(name, part.name).second || fs::is_directory(prime_dir() / name)) {
        mine.push_back(name);
      }
    }
    for (const auto& permission : part.permissions) {
      const std::string pattern = permission.path.empty() ? "*" : permission.path;
      for (const auto& name : entries) {
        if (matches_path(pattern, name)) {
          auto& ownership = primed_.ownership[name];
          ownership.uid = permission.owner ? permission.owner : ownership.uid;
          ownership.gid = permission.group ? permission.group : ownership.gid;
          ownership.mode = permission.mode ? permission.mode : ownership.mode;
        }
      }
    }
  }

  const RockProject& project_;
  const LifecycleOptions& options_;
  FileMove move_ = FileMove::kCopy;
  std::map<std::string, std::string> values_;
  int scripts_run_ = 0;
  std::map<std::string, std::string> staged_by_;
  std::map<std::string, fs::path> source_roots_;  ///< parts layered from their source
  std::map<std::string, std::vector<std::string>> staged_files_;
  std::map<std::string, std::string> primed_owner_;
  std::map<std::string, std::vector<std::string>> primed_by_;
  PrimedTree primed_;
  TreeDiscarder discarder_{options_.work_dir / ".trash"};
};

}  // namespace

std::vector<const PartSpec*> processing_order(const RockProject& project) {
  std::map<std::string, const PartSpec*> by_name;
  for (const auto& part : project.parts) {
    by_name[part.name] = &part;
  }
  for (const auto& part : project.parts) {
    for (const auto& dependency : part.after) {
      if (!by_name.contains(dependency)) {
        throw ConfigError(
            part.position,
            "part '" + part.name + "' is after '" + dependency + "', which is not a part",
            "Name a part of this project in 'after'.");
      }
    }
  }
  std::vector<const PartSpec*> order;
  std::set<std::string> placed;
  while (order.size() < by_name.size()) {
    const PartSpec* next = nullptr;
    for (const auto& [name, part] : by_name) {  // alphabetical
      if (!placed.contains(name) &&
          std::all_of(part->after.begin(), part->after.end(),
                      [&](const std::string& dependency) { return placed.contains(dependency); })) {
        next = part;
        break;
      }
    }
    if (next == nullptr) {
      std::string cycle;
      for (const auto& [name, part] : by_name) {
        if (!placed.contains(name)) {
          cycle += (cycle.empty() ? "" : ", ") + name;
        }
      }
      throw ConfigError(project.parts.front().position,
                        "the parts " + cycle + " are after one another in a cycle",
                        "Remove one of the 'after' entries.");
    }
    placed.insert(next->name);
    order.push_back(next);
  }
  return order;
}

const fs::path& PrimedTree::root_of(const std::string& part) const {
  const auto found = part_roots.find(part);
  return found == part_roots.end() ? prime_dir : found->second;
}

fs::path PrimedTree::path_of(const std::string& name) const {
  for (const auto& [part, names] : parts) {
    if (part_roots.contains(part) && std::find(names.begin(), names.end(), name) != names.end()) {
      return part_roots.at(part) / name;
    }
  }
  return prime_dir / name;
}

PrimedTree run_lifecycle(const RockProject& project, const LifecycleOptions& options) {
  return Lifecycle(project, options).run();
}

}  // namespace gantry::rock_pack
