#include "source_layered_part.hpp"

#include <system_error>

#include "gantry/sdk/project_files.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

bool inside(const fs::path& path, const fs::path& dir) {
  std::error_code error;
  const fs::path canonical_path = fs::weakly_canonical(path, error);
  const fs::path canonical_dir = fs::weakly_canonical(dir, error);
  const auto relative = canonical_path.lexically_relative(canonical_dir);
  return !relative.empty() && *relative.begin() != "..";
}

bool default_fileset(const std::vector<std::string>& fileset) {
  return fileset.size() == 1 && fileset.front() == "*";
}

}  // namespace

std::optional<fs::path> source_layered_root(const PartSpec& part, bool project_runs_commands,
                                            const fs::path& project_dir, const fs::path& work_dir,
                                            const fs::path& output_dir) {
  if (project_runs_commands || part.plugin != "dump" || part.override_pull || part.override_build ||
      part.override_stage || part.override_prime || !part.organize.empty() ||
      !part.stage_packages.empty() || !part.permissions.empty() || !default_fileset(part.stage) ||
      !default_fileset(part.prime) || part.source.empty() ||
      !(part.source_type.empty() || part.source_type == "local")) {
    return std::nullopt;
  }
  fs::path root = (project_dir / part.source).lexically_normal();
  if (!part.source_subdir.empty()) {
    root = (root / part.source_subdir).lexically_normal();
  }
  std::error_code error;
  if (!fs::is_directory(fs::symlink_status(root, error)) || inside(work_dir, root) ||
      (!output_dir.empty() && inside(output_dir, root))) {
    return std::nullopt;
  }
  // What a pull would leave out of a copy of the source (the project's build state, git,
  // packed artifacts) must not be there to be read.
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (sdk::left_out_of_sources(it->path().lexically_relative(root).generic_string())) {
      return std::nullopt;
    }
  }
  return error ? std::nullopt : std::optional<fs::path>(root);
}

}  // namespace gantry::rock_pack
