#include "part_key.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "gantry/net/digest.hpp"
#include "gantry/sdk/project_files.hpp"
#include "gantry/sdk/tree_walk.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

// Bump when what a cached install directory holds changes meaning.
constexpr const char* kFormat = "gantry-rock-part 2";

void add(std::string& text, const std::string& name, const std::string& value) {
  text += name + "=" + std::to_string(value.size()) + ":" + value + "\n";
}

void add(std::string& text, const std::string& name, const std::vector<std::string>& values) {
  add(text, name, std::to_string(values.size()));
  for (const auto& value : values) {
    add(text, name + "[]", value);
  }
}

void add(std::string& text, const std::string& name,
         const std::vector<std::pair<std::string, std::string>>& pairs) {
  add(text, name, std::to_string(pairs.size()));
  for (const auto& [key, value] : pairs) {
    add(text, name + ".key", key);
    add(text, name + ".value", value);
  }
}

constexpr off_t kHashedFileLimit = 256 * 1024;

std::string file_digest(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return net::sha256_of(content).hex();
}

/// Adds every entry of the local source: path, kind, mode, size, mtime (nanoseconds),
/// and the content of small files and link targets.
std::int64_t add_tree_state(std::string& text, const fs::path& root, const fs::path& skip,
                            SourceState state) {
  std::vector<std::string> lines;
  std::int64_t newest = 0;
  const std::string skipped =
      skip.empty() ? std::string() : skip.lexically_relative(root).generic_string();
  sdk::walk_tree(root, [&](const std::string& name, const struct stat& status) {
    // What is never part of the source: gantry's state, git's, and packed rocks.
    if (sdk::left_out_of_sources(name) || name == skipped) {
      return false;
    }
    std::string line =
        name + " " + std::to_string(status.st_mode) + " " + std::to_string(status.st_size) + " " +
        std::to_string(status.st_mtim.tv_sec) + "." + std::to_string(status.st_mtim.tv_nsec);
    const fs::path path =
        S_ISREG(status.st_mode) || S_ISLNK(status.st_mode) ? root / name : fs::path();
    std::error_code error;
    // Small files (source code, the usual edit) by content too: an editor or a checkout
    // that keeps the modification time still changes the key. Large ones by size and
    // time alone, so that a big tree is not read on every pack.
    if (state == SourceState::kMetadata) {
      // Any write, chmod or rename changes the change time and no tool sets it back.
      line += " " + std::to_string(status.st_ino) + " " + std::to_string(status.st_ctim.tv_sec) +
              "." + std::to_string(status.st_ctim.tv_nsec);
      if (S_ISLNK(status.st_mode)) {
        line += " -> " + fs::read_symlink(path, error).string();
      }
    } else if (S_ISREG(status.st_mode) && status.st_size <= kHashedFileLimit) {
      line += " " + file_digest(path);
    } else if (S_ISLNK(status.st_mode)) {
      line += " -> " + fs::read_symlink(path, error).string();
    }
    lines.push_back(std::move(line));
    if (!S_ISDIR(status.st_mode)) {
      newest = std::max<std::int64_t>(newest, status.st_mtim.tv_sec);
    }
    return true;
  });
  std::sort(lines.begin(), lines.end());
  add(text, "tree", lines);
  return newest;
}

}  // namespace

PartKey part_key(const RockProject& project, const PartSpec& part, const fs::path& project_dir,
                 const fs::path& output_dir, const std::string& build_for,
                 const std::vector<deb::AptSource>& apt_sources,
                 const std::vector<std::string>& dependency_keys, SourceState state) {
  const bool remote = part.source_type == "git" || part.source.ends_with(".git") ||
                      part.source.starts_with("git") || part.source.starts_with("http://") ||
                      part.source.starts_with("https://");
  if (remote) {
    return {};
  }
  std::string text = kFormat;
  text += "\n";
  add(text, "project.name", project.name);
  add(text, "project.version", project.version);
  add(text, "build-for", build_for);
  for (const auto& source : apt_sources) {
    add(text, "apt", source.uri + " " + source.suite);
    add(text, "apt.components", source.components);
  }
  add(text, "name", part.name);
  add(text, "source-state", state == SourceState::kMetadata ? "metadata" : "content");
  add(text, "plugin", part.plugin);
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"source", part.source},
           {"source-type", part.source_type},
           {"source-subdir", part.source_subdir},
           {"source-branch", part.source_branch},
           {"source-tag", part.source_tag},
           {"source-commit", part.source_commit},
           {"source-checksum", part.source_checksum}}) {
    add(text, name, value);
  }
  add(text, "after", part.after);
  add(text, "after.keys", dependency_keys);
  add(text, "stage-packages", part.stage_packages);
  add(text, "build-packages", part.build_packages);
  add(text, "python-packages", part.python_packages);
  add(text, "python-requirements", part.python_requirements);
  add(text, "make-parameters", part.make_parameters);
  add(text, "organize", part.organize);
  add(text, "build-environment", part.build_environment);
  add(text, "override-pull", part.override_pull.value_or("\x01"));
  add(text, "override-build", part.override_build.value_or("\x01"));
  PartKey key;
  if (!part.source.empty()) {
    const fs::path source = (project_dir / part.source).lexically_normal();
    struct stat status {};
    if (::stat(source.c_str(), &status) == 0 && S_ISDIR(status.st_mode)) {
      key.newest = add_tree_state(text, source, output_dir, state);
    } else if (::stat(source.c_str(), &status) == 0) {
      add(text, "file",
          std::to_string(status.st_size) + " " + std::to_string(status.st_mtim.tv_sec) + "." +
              std::to_string(status.st_mtim.tv_nsec));
      key.newest = status.st_mtim.tv_sec;
    }
  }
  key.digest = net::sha256_of(text).hex();
  return key;
}

}  // namespace gantry::rock_pack
