#include "build_plan.hpp"

#include <sys/utsname.h>

#include <algorithm>
#include <array>
#include <utility>

#include "gantry/yaml/scalar.hpp"

namespace gantry::charm_pack {
namespace {

using yaml::Field;
using yaml::Reader;

constexpr std::array<std::string_view, 7> kArchitectures{"amd64",   "arm64",   "armhf", "i386",
                                                         "ppc64el", "riscv64", "s390x"};

bool known_arch(const std::string& arch) {
  return std::find(kArchitectures.begin(), kArchitectures.end(), arch) != kArchitectures.end();
}

YAML::Node key_of(const YAML::Node& map, const std::string& key) {
  for (const auto& item : map) {
    if (item.first.Scalar() == key) {
      return item.first;
    }
  }
  return YAML::Node();
}

/// "ubuntu@22.04" -> {"ubuntu", "22.04"}; refuses other forms.
std::pair<std::string, std::string> split_base(const Reader& reader, const Field& field) {
  const std::string text = reader.string(field);
  const auto at = text.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == text.size()) {
    reader.invalid(field, "Invalid base: " + yaml::py_repr(text),
                   "Write the base as ubuntu@RELEASE, e.g. ubuntu@22.04 or ubuntu@24.04.");
  }
  const std::string name = text.substr(0, at);
  if (name != "ubuntu") {
    reader.invalid(field, "Unsupported base: " + yaml::py_repr(text),
                   "gantry charm-pack packs charms for ubuntu@ bases.");
  }
  return {name, text.substr(at + 1)};
}

std::string arch_of(const Reader& reader, const Field& field, const std::string& text) {
  if (!known_arch(text)) {
    reader.invalid(field, "Invalid architecture: " + yaml::py_repr(text),
                   "Use one of: amd64, arm64, armhf, i386, ppc64el, riscv64, s390x.");
  }
  return text;
}

std::vector<BuildTarget> from_platforms(const ProjectFiles& files, const YAML::Node& doc) {
  const Reader& reader = files.reader("base");
  const Field base_field{key_of(doc, "base"), doc["base"], "base"};
  const auto [base_name, base_channel] = split_base(reader, base_field);
  if (doc["build-base"]) {
    (void)split_base(reader, {key_of(doc, "build-base"), doc["build-base"], "build-base"});
  }
  if (!doc["platforms"] || doc["platforms"].IsNull()) {
    reader.fail(reader.key_at(base_field), "Must define at least one platform.",
                "Add `platforms:` with the architectures to build for, e.g. `amd64:`.");
  }
  const Reader& platforms_reader = files.reader("platforms");
  const Field platforms{key_of(doc, "platforms"), doc["platforms"], "platforms"};
  std::vector<BuildTarget> targets;
  for (const auto& entry : platforms_reader.entries(platforms)) {
    BuildTarget target;
    target.platform = entry.name;
    std::string base = base_name + "@" + base_channel;
    std::string arch;
    if (!entry.field.value.IsDefined() || entry.field.value.IsNull()) {
      const auto colon = entry.name.find(':');
      if (colon != std::string::npos) {
        base = entry.name.substr(0, colon);
        arch = arch_of(platforms_reader, entry.field, entry.name.substr(colon + 1));
      } else if (known_arch(entry.name)) {
        arch = entry.name;
      } else {
        platforms_reader.fail(
            platforms_reader.key_at(entry.field),
            "Invalid platform " + yaml::py_repr(entry.name) +
                ": a platform name that is not an architecture needs 'build-on' and 'build-for'",
            "Name the platform after an architecture (amd64:), or give build-on and build-for.");
      }
    } else {
      static constexpr std::string_view kKeys[] = {"build-on", "build-for"};
      const auto model = platforms_reader.model(entry.field, kKeys);
      const Field& build_on = platforms_reader.require(model, entry.field, "build-on");
      const Field& build_for = platforms_reader.require(model, entry.field, "build-for");
      (void)platforms_reader.strings(build_on);
      const auto targets_for = platforms_reader.strings(build_for);
      if (targets_for.size() != 1) {
        platforms_reader.invalid(build_for, "List should have exactly 1 item",
                                 "A charm platform builds for one architecture.");
      }
      const std::string value = targets_for.front();
      const auto colon = value.find(':');
      if (colon != std::string::npos) {
        base = value.substr(0, colon);
      }
      arch = arch_of(platforms_reader, platforms_reader.item(build_for, 0),
                     colon == std::string::npos ? value : value.substr(colon + 1));
    }
    const auto at = base.find('@');
    target.channel = base.substr(at + 1);
    target.build_for = arch;
    target.bases.push_back({base.substr(0, at), target.channel, {arch}});
    targets.push_back(std::move(target));
  }
  return targets;
}

ManifestBase legacy_base(const Reader& reader, const Field& field) {
  static constexpr std::string_view kKeys[] = {"name", "channel", "architectures"};
  const auto model = reader.model(field, kKeys);
  ManifestBase base;
  base.name = reader.string(reader.require(model, field, "name"));
  base.channel = reader.string(reader.require(model, field, "channel"));
  if (const Field* archs = model.given("architectures")) {
    const auto names = reader.strings(*archs);
    for (std::size_t i = 0; i < names.size(); ++i) {
      base.architectures.push_back(arch_of(reader, reader.item(*archs, i), names[i]));
    }
  } else {
    base.architectures.push_back(host_architecture());
  }
  return base;
}

std::vector<BuildTarget> from_bases(const ProjectFiles& files, const YAML::Node& doc) {
  const Reader& reader = files.reader("bases");
  const Field bases{key_of(doc, "bases"), doc["bases"], "bases"};
  if (!bases.value.IsSequence()) {
    reader.invalid(bases, "Input should be a valid list");
  }
  std::vector<BuildTarget> targets;
  for (std::size_t i = 0; i < bases.value.size(); ++i) {
    const Field config = reader.item(bases, i);
    std::vector<ManifestBase> run_on;
    if (config.value.IsMap() && config.value["name"]) {
      run_on.push_back(legacy_base(reader, config));
    } else {
      static constexpr std::string_view kKeys[] = {"build-on", "run-on"};
      const auto model = reader.model(config, kKeys);
      const Field& build_on = reader.require(model, config, "build-on");
      if (!build_on.value.IsSequence()) {
        reader.invalid(build_on, "Input should be a valid list");
      }
      for (std::size_t j = 0; j < build_on.value.size(); ++j) {
        (void)legacy_base(reader, reader.item(build_on, j));
      }
      const Field& run_field = reader.require(model, config, "run-on");
      if (!run_field.value.IsSequence()) {
        reader.invalid(run_field, "Input should be a valid list");
      }
      for (std::size_t j = 0; j < run_field.value.size(); ++j) {
        run_on.push_back(legacy_base(reader, reader.item(run_field, j)));
      }
    }
    if (run_on.empty()) {
      reader.invalid(config, "List should have at least 1 item after validation, not 0");
    }
    BuildTarget target;
    for (const auto& base : run_on) {
      std::string archs;
      for (const auto& arch : base.architectures) {
        archs += (archs.empty() ? "" : "-") + arch;
      }
      target.platform +=
          (target.platform.empty() ? "" : "_") + base.name + "-" + base.channel + "-" + archs;
    }
    target.channel = run_on.front().channel;
    target.build_for = run_on.front().architectures.front();
    target.bases = run_on;
    const bool seen = std::any_of(targets.begin(), targets.end(), [&](const BuildTarget& other) {
      return other.platform == target.platform;
    });
    if (!seen) {
      targets.push_back(std::move(target));
    }
  }
  return targets;
}

}  // namespace

std::string host_architecture() {
  utsname name{};
  ::uname(&name);
  const std::string machine = name.machine;
  if (machine == "x86_64") {
    return "amd64";
  }
  if (machine == "aarch64") {
    return "arm64";
  }
  if (machine == "ppc64le") {
    return "ppc64el";
  }
  if (machine.starts_with("armv7")) {
    return "armhf";
  }
  return machine;  // riscv64, s390x
}

std::vector<BuildTarget> build_plan(const ProjectFiles& files) {
  const YAML::Node& doc = files.document;
  const bool has_base = static_cast<bool>(doc["base"]);
  const bool has_bases = static_cast<bool>(doc["bases"]);
  const Reader& reader = files.reader();
  if (has_base && has_bases) {
    reader.fail(reader.at(key_of(doc, "bases")),
                "Cannot define both 'base' and 'bases' in charmcraft.yaml",
                "Keep `base` with `platforms` (charmcraft 3+), or the legacy `bases`.");
  }
  if (!has_base && !has_bases) {
    reader.fail(reader.at(doc),
                "charmcraft.yaml needs 'base' and 'platforms' (or the legacy 'bases')",
                "Add e.g. `base: ubuntu@24.04` and `platforms: {amd64: }`.");
  }
  if (has_bases && doc["platforms"]) {
    reader.fail(reader.at(key_of(doc, "platforms")),
                "'platforms' needs 'base'; the legacy 'bases' lists run-on bases instead",
                "Use base + platforms, or bases alone.");
  }
  return has_base ? from_platforms(files, doc) : from_bases(files, doc);
}

std::string BuildTarget::file_name(const std::string& charm_name) const {
  std::string label = platform;
  std::replace(label.begin(), label.end(), ':', '-');
  return charm_name + "_" + label + ".charm";
}

}  // namespace gantry::charm_pack
