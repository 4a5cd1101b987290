#include "rock_image.hpp"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "base_image.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/oci/image_writer.hpp"
#include "gantry/oci/layer_writer.hpp"
#include "gantry/oci/layout_destination.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/file_copy.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t kDaemonId = 584792;
constexpr const char* kBarePath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string rfc3339(std::int64_t epoch) {
  const auto time = static_cast<std::time_t>(epoch);
  std::tm utc{};
  gmtime_r(&time, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The build base's release: bare rocks take their build-base's.
std::string effective_base(const RockProject& project) {
  return project.base == "bare" || project.build_base.empty() ? project.build_base : project.base;
}

/// Where Pebble lives in the rock: /usr/bin/pebble from 24.04 on, /bin/pebble before.
std::string pebble_path(const RockProject& project) {
  const std::string base = effective_base(project);
  return base == "ubuntu@20.04" || base == "ubuntu@22.04" ? "bin/pebble" : "usr/bin/pebble";
}

/// A layer of in-memory files: (name, mode, content), directories made as needed.
struct MemoryFile {
  std::string name{};
  std::uint32_t mode = 0644;
  std::string content{};
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

oci::WrittenLayer memory_layer(const fs::path& blobs, const std::vector<MemoryFile>& files,
                               const std::vector<std::pair<std::string, std::uint32_t>>& dirs,
                               std::int64_t epoch) {
  oci::LayerWriter layer(blobs);
  for (const auto& [name, mode] : dirs) {
    layer.tar().add(
        {.name = name, .type = archive::TarEntry::Type::kDirectory, .mode = mode, .mtime = epoch});
  }
  for (const auto& file : files) {
    layer.tar().add({.name = file.name,
                     .mode = file.mode,
                     .uid = file.uid,
                     .gid = file.gid,
                     .mtime = epoch,
                     .size = file.content.size()},
                    [&](const auto& write) { write(file.content); });
  }
  return layer.finish();
}

std::string pebble_layer_yaml(const RockProject& project) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "summary" << YAML::Value << project.summary;
  out << YAML::Key << "description" << YAML::Value << project.description;
  if (project.services && project.services.size() > 0) {
    out << YAML::Key << "services" << YAML::Value << project.services;
  }
  if (project.checks && project.checks.size() > 0) {
    out << YAML::Key << "checks" << YAML::Value << project.checks;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string metadata_yaml(const RockProject& project, const std::string& build_for,
                          const std::string& created, const std::string& base_digest) {
  // PyYAML's defaults, as rockcraft dumps it: sorted keys, block style.
  std::map<std::string, std::string> fields{
      {"architecture", build_for},  {"base", project.base},
      {"created", created},         {"name", project.name},
      {"summary", project.summary}, {"title", project.title.empty() ? project.name : project.title},
      {"version", project.version}};
  if (project.build_base == "devel") {
    fields["grade"] = "devel";
  }
  if (!base_digest.empty()) {
    fields["base-digest"] = base_digest;
  }
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const auto& [key, value] : fields) {
    out << YAML::Key << key << YAML::Value << value;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

/// A layer made by an earlier pack with the same key, linked into `blobs`.
std::optional<oci::WrittenLayer> cached_layer(const fs::path& cache, const std::string& key,
                                              const fs::path& blobs) {
  std::ifstream meta(cache / (key + ".layer"));
  std::string digest;
  std::string diff_id;
  std::int64_t size = 0;
  if (!(meta >> digest >> diff_id >> size)) {
    return std::nullopt;
  }
  try {
    oci::WrittenLayer layer;
    layer.descriptor.media_type = std::string(oci::media_type::kOciLayerGzip);
    layer.descriptor.digest = oci::Digest::parse(digest);
    layer.descriptor.size = size;
    layer.diff_id = oci::Digest::parse(diff_id);
    const fs::path blob = cache / "blobs" / layer.descriptor.digest.hex();
    std::error_code error;
    if (fs::file_size(blob, error) != static_cast<std::uintmax_t>(size) || error) {
      return std::nullopt;
    }
    fs::create_hard_link(blob, blobs / layer.descriptor.digest.hex(), error);
    if (error) {
      fs::remove(blobs / layer.descriptor.digest.hex(), error);
      sdk::copy_to_new_file(blob, blobs / layer.descriptor.digest.hex());
    }
    return layer;
  } catch (const Error&) {
    return std::nullopt;  // a damaged entry is made again
  }
}

void remember_layer(const fs::path& cache, const std::string& key, const oci::WrittenLayer& layer,
                    const fs::path& blobs) {
  std::error_code error;
  fs::create_directories(cache / "blobs", error);
  const fs::path blob = cache / "blobs" / layer.descriptor.digest.hex();
  if (!fs::exists(blob)) {
    fs::create_hard_link(blobs / layer.descriptor.digest.hex(), blob, error);
    if (error) {
      return;
    }
  }
  archive::write_file_atomically(cache / (key + ".layer"),
                                 layer.descriptor.digest.str() + " " + layer.diff_id.str() + " " +
                                     std::to_string(layer.descriptor.size) + "\n",
                                 archive::AtomicFile::Durability::kUnsynced);
}

bool has_pebble_services(const RockProject& project) {
  return (project.services && project.services.size() > 0) ||
         (project.checks && project.checks.size() > 0);
}

}  // namespace

std::pair<std::string, std::string> go_architecture(const std::string& debian) {
  if (debian == "armhf") {
    return {"arm", "v7"};
  }
  if (debian == "arm64") {
    return {"arm64", "v8"};
  }
  if (debian == "i386") {
    return {"386", ""};
  }
  if (debian == "ppc64el") {
    return {"ppc64le", ""};
  }
  return {debian, ""};
}

PackedRock write_rock(const RockProject& project, const PrimedTree& primed,
                      const RockImageOptions& options) {
  const bool needs_pebble = has_pebble_services(project) || project.entrypoint_command.empty();
  if (needs_pebble && options.pebble.empty()) {
    throw Error("the rock needs Pebble (its entrypoint" +
                    std::string(has_pebble_services(project) ? " and services" : "") +
                    "), and no Pebble binary was given",
                "Give one with --pebble PATH or GANTRY_PEBBLE=PATH (Pebble is not packaged in "
                "Debian; build it from github.com/canonical/pebble), or set entrypoint-command "
                "for a rock without services.");
  }
  if (!needs_pebble) {
    options.warn("the rock has no services, so its entrypoint-command runs without Pebble");
  }
  fs::create_directories(options.output_dir);
  const std::string file_name =
      project.name + "_" + project.version + "_" + options.platform_label + ".rock";
  sdk::TemporaryDirectory staging(".gantry-rock-", options.output_dir);
  oci::ImageWriter image(staging.path() / "layout");
  const auto epoch = options.epoch;
  std::optional<BaseImage> base;
  if (options.base_image) {
    base = fetch_base_image(*options.base_image, options.base_options, image.blobs_dir(),
                            options.cancelled, options.base_cache);
    for (const auto& layer : base->layers) {
      image.add_layer(layer, "Base image " + options.base_image->str());
    }
  }
  const auto rerooted = [&](const std::string& name) { return base ? base->rerooted(name) : name; };
  const auto adjust = [&](const std::string& name, archive::TarEntry& entry) {
    if (const auto found = primed.ownership.find(name); found != primed.ownership.end()) {
      entry.uid = found->second.uid.value_or(entry.uid);
      entry.gid = found->second.gid.value_or(entry.gid);
      entry.mode = found->second.mode.value_or(entry.mode);
    }
    entry.name = rerooted(name);
  };
  // A primed file the base already has, with the same content, owner and mode, is left
  // out (rockcraft's pruning); a top-level directory the base has as a symlink gets no
  // entry of its own (usrmerge).
  const auto layer_names = [&](const fs::path& root, const std::vector<std::string>& names) {
    if (!base) {
      return names;
    }
    std::vector<std::string> kept;
    for (const auto& name : names) {
      const std::string target = base->rerooted(name);
      if (target.empty()) {
        continue;
      }
      const auto in_base = base->files.find(target);
      const fs::path path = root / name;
      struct stat status {};
      if (in_base != base->files.end() && in_base->second.kind == BaseEntry::Kind::kFile &&
          ::lstat(path.c_str(), &status) == 0 && S_ISREG(status.st_mode) &&
          static_cast<std::uint64_t>(status.st_size) == in_base->second.size) {
        archive::TarEntry entry{.name = name, .mode = status.st_mode & 07777U};
        adjust(name, entry);
        if (entry.mode == in_base->second.mode && entry.uid == in_base->second.uid &&
            entry.gid == in_base->second.gid &&
            net::sha256_of(read_text(path)).hex() == in_base->second.sha256) {
          continue;
        }
      }
      kept.push_back(name);
    }
    return kept;
  };
  const oci::TreeEntryPolicy policy{
      .mtime = epoch, .adjust = adjust, .cancelled = options.cancelled};

  // A layer from the cache when its key is known there, else written and remembered.
  const auto reuse_or_write = [&](const std::string& key, const std::string& comment,
                                  const std::function<oci::WrittenLayer()>& write) {
    if (options.cancelled()) {
      throw Cancelled();
    }
    // Layers another compressor wrote (another ISA-L, another kind of CPU) are not reused:
    // the rock would differ from one packed afresh.
    const std::string entry =
        net::sha256_of(key + "\n" + oci::LayerWriter::compressor_fingerprint()).hex();
    if (!options.layer_cache.empty()) {
      if (auto cached = cached_layer(options.layer_cache, entry, image.blobs_dir())) {
        image.add_layer(*cached, comment);
        return;
      }
    }
    const auto written = write();
    if (!options.layer_cache.empty()) {
      remember_layer(options.layer_cache, entry, written, image.blobs_dir());
    }
    image.add_layer(written, comment);
  };
  if (needs_pebble) {
    const std::string path = pebble_path(project);
    const std::string dir = path.substr(0, path.rfind('/'));
    std::vector<std::pair<std::string, std::uint32_t>> dirs;
    if (dir == "usr/bin") {
      dirs.emplace_back("usr", 0755);
    }
    dirs.emplace_back(dir, 0755);
    for (const auto* name : {"var", "var/lib", "var/lib/pebble"}) {
      dirs.emplace_back(name, 0755);
    }
    dirs.emplace_back("var/lib/pebble/default", 0777);
    dirs.emplace_back("var/lib/pebble/default/layers", 0755);
    // The binary's own time, so that the layer changes only with Pebble.
    struct stat status {};
    ::stat(options.pebble.c_str(), &status);
    const std::int64_t mtime =
        std::getenv("SOURCE_DATE_EPOCH") != nullptr ? epoch : status.st_mtim.tv_sec;
    const std::string key =
        net::sha256_of("gantry-rock-pebble 1\n" + path + "\n" + std::to_string(status.st_size) +
                       " " + std::to_string(status.st_mtim.tv_sec) + "." +
                       std::to_string(status.st_mtim.tv_nsec) + " " +
                       std::to_string(status.st_ino) + " " + std::to_string(mtime))
            .hex();
    std::vector<std::pair<std::string, std::uint32_t>> placed_dirs;
    for (const auto& [name, mode] : dirs) {
      if (const auto placed = rerooted(name); !placed.empty()) {
        placed_dirs.emplace_back(placed, mode);
      }
    }
    reuse_or_write(key + (base ? base->manifest_digest.str() : ""),
                   "Add Pebble from " + options.pebble.filename().string(), [&] {
                     return memory_layer(image.blobs_dir(),
                                         {{rerooted(path), 0755, read_text(options.pebble)}},
                                         placed_dirs, mtime);
                   });
  }
  const auto part_layer = [&](const std::string& part, const std::vector<std::string>& names) {
    if (options.cancelled()) {
      throw Cancelled();
    }
    const auto epoch_of = primed.part_epochs.find(part);
    const std::int64_t mtime =
        std::getenv("SOURCE_DATE_EPOCH") != nullptr || epoch_of == primed.part_epochs.end()
            ? epoch
            : epoch_of->second;
    const auto write = [&] {
      oci::LayerWriter layer(image.blobs_dir());
      const fs::path& root = primed.root_of(part);
      oci::add_paths(layer.tar(), root, layer_names(root, names),
                     {.mtime = mtime, .adjust = policy.adjust, .cancelled = policy.cancelled});
      return layer.finish();
    };
    const auto key_of = primed.part_keys.find(part);
    if (key_of == primed.part_keys.end() || key_of->second.empty()) {
      image.add_layer(write(), "Add part " + part);
      return;
    }
    std::string text = "gantry-rock-layer 2\n" + key_of->second + "\n" + std::to_string(mtime) +
                       "\n" + (base ? base->manifest_digest.str() : "bare") + "\n" +
                       primed.prime_definition;
    for (const auto& name : names) {
      text += name;
      if (const auto found = primed.ownership.find(name); found != primed.ownership.end()) {
        text += " " + std::to_string(found->second.uid.value_or(0)) + ":" +
                std::to_string(found->second.gid.value_or(0)) + " " +
                std::to_string(found->second.mode.value_or(07777));
      }
      text += "\n";
    }
    reuse_or_write(net::sha256_of(text).hex(), "Add part " + part, write);
  };
  if (options.single_layer) {
    std::vector<std::string> all;
    for (const auto& [part, names] : primed.parts) {
      all.insert(all.end(), names.begin(), names.end());
    }
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    if (options.cancelled()) {
      throw Cancelled();
    }
    oci::LayerWriter layer(image.blobs_dir());
    // The lifecycle layers no part from its source in this mode: all is in prime_dir.
    oci::add_paths(layer.tar(), primed.prime_dir, layer_names(primed.prime_dir, all), policy);
    image.add_layer(layer.finish(), "Add the primed parts");
  } else {
    for (const auto& [part, names] : primed.parts) {
      if (!names.empty()) {
        part_layer(part, names);
      }
    }
  }
  oci::ImageConfig config;
  std::tie(config.architecture, config.variant) = go_architecture(options.build_for);
  config.created = rfc3339(epoch);
  if (!project.run_user.empty()) {
    const auto from_prime = [&](const std::string& name) {
      const fs::path file = primed.path_of(name);
      std::string text = fs::is_regular_file(file) ? read_text(file) : std::string();
      if (!fs::is_regular_file(file) && base) {
        const auto found = base->account_files.find(name);
        text = found == base->account_files.end() ? std::string() : found->second;
      }
      if (!text.empty() && !text.ends_with('\n')) {
        text += '\n';
      }
      return text;
    };
    std::vector<MemoryFile> files{
        {"etc/passwd", 0644,
         from_prime("etc/passwd") +
             "_daemon_:x:584792:584792::/var/lib/pebble/default:/usr/bin/false\n"},
        {"etc/group", 0644, from_prime("etc/group") + "_daemon_:x:584792:\n"}};
    if (fs::is_regular_file(primed.path_of("etc/shadow")) ||
        (base && base->account_files.contains("etc/shadow"))) {
      files.push_back({"etc/shadow", 0640,
                       from_prime("etc/shadow") + "_daemon_:!:" +
                           std::to_string(options.definition_epoch / 86400) + "::::::\n"});
    }
    image.add_layer(
        memory_layer(image.blobs_dir(), files, {{"etc", 0755}}, options.definition_epoch),
        "Add user _daemon_:584792 with group _daemon_:584792");
    config.user = std::to_string(kDaemonId);
  }
  if (has_pebble_services(project)) {
    std::vector<std::pair<std::string, std::uint32_t>> dirs{
        {"var", 0755},
        {"var/lib", 0755},
        {"var/lib/pebble", 0755},
        {"var/lib/pebble/default", 0777},
        {"var/lib/pebble/default/layers", 0777}};
    image.add_layer(
        memory_layer(image.blobs_dir(),
                     {{"var/lib/pebble/default/layers/001-rockcraft-" + project.name + ".yaml",
                       0777, pebble_layer_yaml(project)}},
                     dirs, options.definition_epoch),
        "Add Pebble layer file");
  }
  const std::string created = rfc3339(epoch);
  image.add_layer(memory_layer(image.blobs_dir(),
                               {{".rock/metadata.yaml", 0644,
                                 metadata_yaml(project, options.build_for, created,
                                               base ? base->manifest_digest.str() : "")}},
                               {{".rock", 0755}}, epoch),
                  "Add rock control metadata");

  if (!project.entrypoint_command.empty()) {
    const auto command = parse_command(project.entrypoint_command);
    config.entrypoint = command.command;
    config.cmd = command.default_args.value_or(std::vector<std::string>{});
  } else {
    config.entrypoint = {"/" + pebble_path(project), "enter"};
    if (!project.entrypoint_service.empty()) {
      const auto service = project.services[project.entrypoint_service];
      const auto command = parse_command(service["command"].as<std::string>());
      config.entrypoint.insert(config.entrypoint.end(), {"--args", project.entrypoint_service});
      config.cmd = command.default_args.value_or(std::vector<std::string>{});
      options.warn("entrypoint-service makes an atypical OCI Entrypoint: " +
                   project.entrypoint_service + "'s default arguments become the Cmd");
    }
  }
  if (project.base == "bare") {
    config.env.push_back(std::string("PATH=") + kBarePath);
  } else if (base) {
    config.env = base->env;  // Ubuntu-based rocks keep the base's Env
  }
  for (const auto& [name, value] : project.environment) {
    const auto same = std::find_if(config.env.begin(), config.env.end(), [&](const auto& entry) {
      return entry.starts_with(name + "=");
    });
    if (same != config.env.end()) {
      *same = name + "=" + value;
    } else {
      config.env.push_back(name + "=" + value);
    }
  }
  std::map<std::string, std::string> labels{
      {"org.opencontainers.image.version", project.version},
      {"org.opencontainers.image.title", project.title.empty() ? project.name : project.title},
      {"org.opencontainers.image.created", created},
      {"org.opencontainers.image.description", project.summary + "\n\n" + project.description}};
  if (!project.license.empty()) {
    labels["org.opencontainers.image.licenses"] = project.license;
  }
  if (base) {
    labels["org.opencontainers.image.base.digest"] = base->manifest_digest.hex();
  }
  config.labels = labels;
  const auto manifest = image.finish(config, labels, project.version);
  const fs::path target = options.output_dir / file_name;
  oci::write_layout_archive(image.dir(), target, options.cancelled);
  return {target, manifest.digest};
}

}  // namespace gantry::rock_pack
