#include "cache/step_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cache/input_digest.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::host {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFormat = "gantry-step-cache 1";

bool has_capability(const v1::StepDescription& description, const std::string& flag) {
  return std::find(description.capabilities().begin(), description.capabilities().end(), flag) !=
         description.capabilities().end();
}

bool cacheable(const v1::StepDescription& description) {
  return has_capability(description, kCacheableCapability);
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// `source` put at `target` through a temporary name in target's directory: a hard link
/// when the filesystem allows, else a copy.
bool place(const fs::path& source, const fs::path& target) {
  std::error_code error;
  fs::create_directories(target.parent_path(), error);
  const fs::path temporary = target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                                     std::to_string(::getpid()));
  fs::remove(temporary, error);
  fs::create_hard_link(source, temporary, error);
  if (error) {
    error.clear();
    fs::copy_file(source, temporary, fs::copy_options::overwrite_existing, error);
  }
  if (!error) {
    fs::rename(temporary, target, error);
  }
  if (error) {
    fs::remove(temporary, error);
    return false;
  }
  return true;
}

json artifact_json(const v1::Artifact& artifact, const std::string& sha256) {
  return json{{"kind", artifact.kind()},           {"path", artifact.path()},
              {"reference", artifact.reference()}, {"digest", artifact.digest()},
              {"size", artifact.size()},           {"file_sha256", sha256}};
}

}  // namespace

StepCache StepCache::in(const fs::path& working_directory) {
  return StepCache(working_directory / ".gantry" / "cache");
}

std::optional<std::string> StepCache::key(
    const v1::StepDescription& description,
    const google::protobuf::Map<std::string, v1::Value>& params, const fs::path& working_directory,
    const std::string& origin) const {
  if (!cacheable(description)) {
    return std::nullopt;
  }
  std::string text = std::string(kFormat) + "\nstep " + description.name() + " " +
                     description.version() + "\nworkdir " + working_directory.string() + "\n";
  if (struct stat plugin{}; !origin.empty() && ::stat(origin.c_str(), &plugin) == 0) {
    text += "plugin " + origin + " " + std::to_string(plugin.st_size) + " " +
            std::to_string(plugin.st_mtim.tv_sec) + "." + std::to_string(plugin.st_mtim.tv_nsec) +
            "\n";
  }
  const std::map<std::string, v1::Value> sorted(params.begin(), params.end());
  for (const auto& spec : description.params()) {
    const auto found = sorted.find(spec.name());
    if (found == sorted.end()) {
      continue;
    }
    // Secrets only as their digest: the entry is a file on disk.
    const std::string value = found->second.SerializeAsString();
    text += "param " + spec.name() + " " +
            (spec.secret() ? net::sha256_of(value).hex() : sdk::display_value(found->second)) +
            "\n";
    if (spec.type() == v1::PARAM_TYPE_PATH &&
        !has_capability(description, kOutputPathCapability + spec.name())) {
      const fs::path path(found->second.string_value());
      text += "input " + spec.name() + " " +
              input_digest(path.is_relative() ? working_directory / path : path) + "\n";
    }
  }
  for (const auto& capability : description.capabilities()) {
    if (!capability.starts_with(kCacheEnvCapability)) {
      continue;
    }
    const std::string name = capability.substr(std::string_view(kCacheEnvCapability).size());
    const char* value = std::getenv(name.c_str());
    text += "env " + name + (value == nullptr ? " unset" : " = " + std::string(value));
    if (value != nullptr && *value != '\0' && fs::is_regular_file(value)) {
      text += " " + input_digest(value);
    }
    text += "\n";
  }
  return net::sha256_of(text).hex();
}

std::optional<CachedRun> StepCache::find(const std::string& key) const {
  const fs::path entry_file = dir_ / "steps" / (key + ".json");
  std::error_code error;
  if (!fs::exists(entry_file, error)) {
    return std::nullopt;
  }
  try {
    const json entry = json::parse(read_text(entry_file));
    // What the step said it read besides its parameters must be as it was.
    for (const auto& input : entry.value("inputs", json::array())) {
      if (input_digest(input.at("path").get<std::string>()) !=
          input.at("digest").get<std::string>()) {
        return std::nullopt;
      }
    }
    CachedRun run;
    run.run_id = entry.at("run").get<std::string>();
    run.result.set_outcome(v1::OUTCOME_OK);
    for (const auto& input : entry.value("inputs", json::array())) {
      run.result.add_inputs(input.at("path").get<std::string>());
    }
    for (const auto& [name, value] : entry.at("outputs").items()) {
      (*run.result.mutable_outputs())[name] = value.get<std::string>();
    }
    for (const auto& item : entry.at("artifacts")) {
      v1::Artifact artifact;
      artifact.set_kind(item.at("kind").get<std::string>());
      artifact.set_path(item.at("path").get<std::string>());
      artifact.set_reference(item.at("reference").get<std::string>());
      artifact.set_digest(item.at("digest").get<std::string>());
      artifact.set_size(item.at("size").get<std::uint64_t>());
      const auto sha256 = item.at("file_sha256").get<std::string>();
      if (!artifact.path().empty()) {
        const fs::path path(artifact.path());
        if (!fs::is_regular_file(path) || file_sha256(path) != sha256) {
          // Changed or removed since: put the cache's copy back, if it is still intact.
          const fs::path copy = dir_ / "artifacts" / sha256;
          if (!fs::is_regular_file(copy) || file_sha256(copy) != sha256 || !place(copy, path)) {
            return std::nullopt;
          }
        }
      }
      run.artifacts.push_back(std::move(artifact));
    }
    fs::last_write_time(entry_file, fs::file_time_type::clock::now(), error);  // recently used
    return run;
  } catch (const std::exception&) {
    return std::nullopt;  // an unreadable entry is a miss
  }
}

void StepCache::store(const std::string& key, const v1::Result& result,
                      const std::vector<v1::Artifact>& artifacts, const std::string& run_id) const {
  if (artifacts.empty()) {
    return;  // clean, --expand: nothing to give back, and doing it again is the point
  }
  try {
    json entry{{"run", run_id},
               {"outputs", json::object()},
               {"artifacts", json::array()},
               {"inputs", json::array()}};
    for (const auto& input : result.inputs()) {
      entry["inputs"].push_back({{"path", input}, {"digest", input_digest(input)}});
    }
    for (const auto& [name, value] : result.outputs()) {
      entry["outputs"][name] = value;
    }
    for (const auto& artifact : artifacts) {
      std::string sha256;
      if (!artifact.path().empty()) {
        if (!fs::is_regular_file(artifact.path())) {
          return;  // a directory artifact cannot be checked: do not cache the run
        }
        sha256 = file_sha256(artifact.path());
        const fs::path copy = dir_ / "artifacts" / sha256;
        if (!fs::exists(copy) && !place(artifact.path(), copy)) {
          return;
        }
      }
      entry["artifacts"].push_back(artifact_json(artifact, sha256));
    }
    fs::create_directories(dir_ / "steps");
    archive::write_file_atomically(dir_ / "steps" / (key + ".json"), entry.dump(),
                                   archive::AtomicFile::Durability::kUnsynced);
  } catch (const std::exception&) {
    // Best effort, as documented.
  }
}

PruneReport StepCache::prune(std::uint64_t max_bytes) const {
  PruneReport report;
  std::error_code error;
  struct Entry {
    fs::path file;
    fs::file_time_type used;
    std::set<std::string> copies;
    std::uint64_t size = 0;
  };
  std::vector<Entry> entries;
  for (const auto& item : fs::directory_iterator(dir_ / "steps", error)) {
    Entry entry{item.path(),
                fs::last_write_time(item.path(), error),
                {},
                fs::file_size(item.path(), error)};
    try {
      // Named: a range-for keeps only its range alive, not the parsed record `.at()` is
      // called on (which would be freed before the first iteration).
      const json record = json::parse(read_text(item.path()));
      for (const auto& artifact : record.at("artifacts")) {
        if (const auto sha = artifact.at("file_sha256").get<std::string>(); !sha.empty()) {
          entry.copies.insert(sha);
        }
      }
    } catch (const std::exception&) {
    }
    entries.push_back(std::move(entry));
  }
  std::map<std::string, std::uint64_t> copy_sizes;
  for (const auto& item : fs::directory_iterator(dir_ / "artifacts", error)) {
    copy_sizes[item.path().filename().string()] = fs::file_size(item.path(), error);
  }
  const auto total = [&] {
    std::uint64_t sum = 0;
    for (const auto& entry : entries) {
      sum += entry.size;
    }
    for (const auto& [name, size] : copy_sizes) {
      sum += size;
    }
    return sum;
  };
  report.bytes_before = total();
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.used < b.used; });
  while (total() > max_bytes && !entries.empty()) {
    fs::remove(entries.front().file, error);
    entries.erase(entries.begin());
    ++report.entries_removed;
    std::set<std::string> needed;
    for (const auto& entry : entries) {
      needed.insert(entry.copies.begin(), entry.copies.end());
    }
    for (auto it = copy_sizes.begin(); it != copy_sizes.end();) {
      if (!needed.contains(it->first)) {
        fs::remove(dir_ / "artifacts" / it->first, error);
        it = copy_sizes.erase(it);
      } else {
        ++it;
      }
    }
  }
  report.bytes_after = total();
  return report;
}

}  // namespace gantry::host
