#include "charm_writer.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

#include "file_text.hpp"
#include "gantry/archive/zip_writer.hpp"
#include "generated_files.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;

/// The manifest's charmcraft-started-at: the reproducible time, not the clock's, in
/// Python's naive isoformat().
std::string iso_time(std::int64_t seconds) {
  const std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  ::gmtime_r(&time, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &utc);
  return buffer;
}

bool imports_ops(const fs::path& entrypoint) {
  std::istringstream in(read_text(entrypoint));
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("import ops") || line.starts_with("from ops")) {
      return true;
    }
  }
  return false;
}

}  // namespace

fs::path write_charm(const CharmInputs& inputs, const fs::path& output,
                     const std::string& gantry_version) {
  const CharmProject& project = *inputs.project;
  const fs::path target = output / inputs.target->file_name(project.name);
  archive::ZipWriter zip(target, inputs.epoch);
  for (const auto* list : {inputs.files, &inputs.dumped}) {
    for (const auto& file : *list) {
      if (zip.contains(file.name)) {
        continue;  // a dump part's file the project already has
      }
      const bool executable = file.name == inputs.entrypoint || file.mode == 0755;
      zip.add_file(file.name, file.source, executable ? 0755 : 0644);
    }
  }
  std::string dispatch;
  if (!zip.contains("dispatch")) {
    dispatch = dispatch_script(inputs.entrypoint);
    zip.add_bytes("dispatch", dispatch, 0755);
  } else {
    dispatch = read_text(project.dir / "dispatch");
  }
  for (const char* hook : {"hooks/install", "hooks/start", "hooks/upgrade-charm"}) {
    if (!zip.contains(hook)) {
      zip.add_bytes(hook, dispatch, 0755);  // charmcraft's symlinks to ../dispatch, followed
    }
  }
  if (!zip.contains("metadata.yaml")) {
    zip.add_bytes("metadata.yaml", metadata_yaml(project));
  }
  if (const auto config = config_yaml(project); !config.empty() && !zip.contains("config.yaml")) {
    zip.add_bytes("config.yaml", config);
  }
  if (const auto actions = actions_yaml(project);
      !actions.empty() && !zip.contains("actions.yaml")) {
    zip.add_bytes("actions.yaml", actions);
  }
  bool has_ops = false;
  if (inputs.venv) {
    std::vector<std::pair<std::string, fs::path>> venv_files;
    for (auto it = fs::recursive_directory_iterator(*inputs.venv);
         it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_regular_file()) {
        const std::string relative = it->path().lexically_relative(*inputs.venv).generic_string();
        has_ops = has_ops || relative.starts_with("ops/");
        const auto perms = fs::status(it->path()).permissions();
        const bool executable = (perms & fs::perms::owner_exec) != fs::perms::none;
        zip.add_file("venv/" + relative, it->path(), executable ? 0755 : 0644);
      }
    }
  }
  Analysis analysis;
  const auto last_line = dispatch.substr(dispatch.rfind('\n', dispatch.size() - 2) + 1);
  analysis.python = last_line.find(".py") != std::string::npos;
  analysis.operator_framework = has_ops && imports_ops(project.dir / inputs.entrypoint);
  if (!zip.contains("manifest.yaml")) {
    zip.add_bytes("manifest.yaml",
                  manifest_yaml(*inputs.target, analysis, gantry_version, iso_time(inputs.epoch)));
  }
  zip.commit();
  return target;
}

}  // namespace gantry::charm_pack
