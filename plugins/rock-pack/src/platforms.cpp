// `platforms:` as craft-application reads them.
#include "platforms.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gantry::rock_pack::detail {
namespace {

// RC rockcraft/architectures.py SUPPORTED_ARCHS, in its order (messages list them so).
constexpr std::array<std::string_view, 7> kArchitectures{"amd64",   "armhf",   "arm64", "i386",
                                                         "ppc64el", "riscv64", "s390x"};

[[noreturn]] void platform_error(const Reader& reader, const Field& where, const std::string& label,
                                 const std::string& message) {
  reader.fail(reader.at(where),
              lower_first("Error for platform entry " + py_repr(label) + ": " + message) +
                  " (in field 'platforms')",
              "Use Debian architecture names (" + joined(kArchitectures, ", ") + ").");
}

/// craft_platforms.parse_base_and_architecture: "[<base>:]<arch>", arch a Debian
/// architecture or "all".
void check_architecture(const Reader& reader, const Field& field, const std::string& value) {
  const auto colon = value.find(':');
  const std::string arch = colon == std::string::npos ? value : value.substr(colon + 1);
  if (arch != "all" && !contains(kArchitectures, arch)) {
    reader.invalid(field, py_repr(arch) + " is not a valid Debian architecture.",
                   "Use one of: " + joined(kArchitectures, ", ") + ".");
  }
}

/// build-on / build-for: a string or a list of strings, at least one, at most `max`.
std::vector<std::string> architectures(const Reader& reader, const Field& field, std::size_t max) {
  std::vector<std::string> values;
  if (field.value.IsScalar()) {
    values.push_back(reader.string(field));
  } else {
    values = reader.strings(field);
  }
  if (values.empty()) {
    reader.invalid(field, "List should have at least 1 item after validation, not 0");
  }
  if (values.size() > max) {
    reader.invalid(field, "List should have at most " + std::to_string(max) +
                              " item after validation, not " + std::to_string(values.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const Field entry = field.value.IsSequence() ? reader.item(field, i) : field;
    check_architecture(reader, entry, values[i]);
    if (std::find(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(i), values[i]) !=
        values.begin() + static_cast<std::ptrdiff_t>(i)) {
      reader.invalid(field, "duplicate values in list: " + py_list(std::vector{values[i]}));
    }
  }
  return values;
}

}  // namespace

std::vector<Platform> parse_platforms(const Reader& reader, const Field& field) {
  std::vector<Platform> platforms;
  const std::vector<Entry> entries = reader.entries(field);
  if (entries.empty()) {
    reader.invalid(field, "Input should have at least one platform",
                   "Add a platform, e.g. 'amd64:'.");
  }
  const std::array<std::string_view, 4> keys{"build-on", "build-for", "build_on", "build_for"};
  for (const auto& entry : entries) {
    Platform platform;
    platform.label = entry.name;
    platform.position = reader.key_at(entry.field);
    if (platform.label == "any" || platform.label == "*") {
      reader.fail(platform.position, "Reserved platform name: " + py_repr(platform.label),
                  "Name the platform after its architecture, e.g. 'amd64'.");
    }
    if (platform.label == "." || platform.label == "..") {
      reader.fail(platform.position, "Platform names cannot be '.' or '..'.",
                  "Name the platform after its architecture, e.g. 'amd64'.");
    }
    if (platform.label.find('/') != std::string::npos) {
      reader.fail(platform.position, "Platform names cannot contain the '/' character.",
                  "Name the platform after its architecture, e.g. 'amd64'.");
    }
    const Field& value = entry.field;
    // craft-application expands an empty entry: build-on and build-for are the label.
    if (value.value.IsNull() || (value.value.IsMap() && value.value.size() == 0)) {
      check_architecture(reader, value, platform.label);
      platform.build_on = {platform.label};
      platform.build_for = platform.label;
    } else {
      const Model model = reader.model(value, keys, "dictionary or instance of Platform");
      const Field* build_on = model.get("build-on") ? model.get("build-on") : model.get("build_on");
      const Field* build_for =
          model.get("build-for") ? model.get("build-for") : model.get("build_for");
      if (build_for != nullptr && build_on == nullptr) {
        reader.fail(reader.key_at(*build_for),
                    "'build-for' expects 'build-on' to also be provided.",
                    "Add 'build-on' with the architectures the rock can be built on.");
      }
      if (build_on == nullptr) {
        reader.missing_field(value, "build-on");
      }
      platform.build_on = architectures(reader, *build_on, SIZE_MAX);
      for (const auto& arch : platform.build_on) {
        if (arch == "all" || arch.ends_with(":all")) {
          reader.invalid(*build_on, "'all' cannot be used for 'build-on'");
        }
      }
      if (build_for != nullptr) {
        platform.build_for = architectures(reader, *build_for, 1).front();
        if (contains(kArchitectures, platform.label) && platform.label != platform.build_for) {
          platform_error(reader, *build_for, platform.label,
                         "if 'build-for' is provided and the platform entry label corresponds "
                         "to a valid architecture, then both values must match. " +
                             platform.label + " != " + platform.build_for);
        }
      } else if (contains(kArchitectures, platform.label)) {
        platform.build_for = platform.label;
      } else {
        reader.missing_field(value, "build-for");
      }
    }
    const bool buildable =
        std::any_of(platform.build_on.begin(), platform.build_on.end(),
                    [](const std::string& arch) { return contains(kArchitectures, arch); });
    if (!buildable) {
      platform_error(reader, value, platform.label,
                     "trying to build rock in one of " + py_list(platform.build_on) +
                         ", but none of these build architectures is supported. Supported "
                         "architectures: " +
                         py_list(kArchitectures));
    }
    if (!contains(kArchitectures, platform.build_for)) {
      platform_error(
          reader, value, platform.label,
          "trying to build rock for target architecture " + platform.build_for +
              ", which is not supported. Supported architectures: " + py_list(kArchitectures));
    }
    platforms.push_back(std::move(platform));
  }
  return platforms;
}

}  // namespace gantry::rock_pack::detail
