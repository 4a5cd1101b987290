// go-framework (RC rockcraft/extensions/go.py): the module built with the go plugin, its
// binary in /usr/local/bin, assets under /app.

#include "extensions/app_parts.hpp"
#include "extensions/framework_extensions.hpp"
#include "extensions/snippet_nodes.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;
using namespace snippet;

class GoFramework final : public Extension {
 public:
  [[nodiscard]] std::vector<std::string_view> supported_bases() const override {
    return {"bare", "ubuntu@24.04"};
  }

  [[nodiscard]] YAML::Node root_snippet(const ExtensionInput& input) const override {
    if (!fs::exists(input.project_root / "go.mod")) {
      throw ExtensionError("missing go.mod file, it should be present in the project directory",
                           "Run `go mod init` in the project directory.");
    }
    const std::string name = app_parts::nested_text(input.data, {"name"});
    const bool bare = app_parts::nested_text(input.data, {"base"}) == "bare";
    YAML::Node service = map();
    service["override"] = text("replace");
    service["startup"] = text("enabled");
    service["command"] = text(name);
    service["user"] = text("_daemon_");
    service["working-dir"] = text("/app");

    YAML::Node base_layout = map();
    base_layout["plugin"] = text("nil");
    base_layout["override-build"] = text("mkdir -p ${CRAFT_PART_INSTALL}/app");
    base_layout["permissions"] = list({app_parts::daemon_permission()});

    YAML::Node runtime = map();
    runtime["plugin"] = text("nil");
    runtime["stage-packages"] =
        bare ? list({text("ca-certificates_data"), text("bash_bins"), text("coreutils_bins")})
             : list({text("ca-certificates_data")});
    if (bare) {
      runtime["override-build"] = text("ln -sf /usr/bin/bash ${CRAFT_PART_INSTALL}/usr/bin/sh");
    }

    YAML::Node parts = map();
    parts["go-framework/base-layout"] = base_layout;
    parts["go-framework/install-app"] = install_app_part(input, name, bare);
    parts["go-framework/runtime"] = runtime;
    parts["go-framework/logging"] = app_parts::logging_part();
    if (YAML::Node assets = assets_part(input); assets.IsDefined()) {
      parts["go-framework/assets"] = assets;
    }
    YAML::Node root = map();
    root["run-user"] = text("_daemon_");
    root["services"] = map();
    root["services"]["go"] = service;
    root["parts"] = parts;
    return root;
  }

 private:
  static YAML::Node install_app_part(const ExtensionInput& input, const std::string& name,
                                     bool bare) {
    const YAML::Node user = app_parts::nested(input.data, {"parts", "go-framework/install-app"});
    YAML::Node build_environment(YAML::NodeType::Sequence);
    if (user.IsDefined() && user.IsMap() && user["build-environment"].IsSequence()) {
      build_environment = YAML::Clone(user["build-environment"]);
    }
    if (bare) {
      bool cgo = false;
      for (const auto& variable : build_environment) {
        cgo = cgo || (variable.IsMap() && variable["CGO_ENABLED"].IsDefined());
      }
      if (!cgo) {
        YAML::Node disabled = map();
        disabled["CGO_ENABLED"] = text("0");
        build_environment = list({disabled});
      }
    }
    YAML::Node organize = map();
    bool binary_organized = false;
    if (user.IsDefined() && user.IsMap() && user["organize"].IsMap()) {
      organize = YAML::Clone(user["organize"]);
      for (const auto& entry : organize) {
        binary_organized = binary_organized || (entry.second.IsScalar() &&
                                                entry.second.Scalar() == "usr/local/bin/" + name);
      }
    }
    if (!binary_organized &&
        app_parts::nested_text(input.data, {"services", "go", "command"}).empty()) {
      organize["bin/" + name] = text("usr/local/bin/" + name);
    }
    YAML::Node part = map();
    part["plugin"] = text("go");
    part["source"] = text(".");
    part["organize"] = organize;
    if (!go_overridden(user)) {
      YAML::Node snaps(YAML::NodeType::Sequence);
      for (const auto& snap : app_parts::nested_texts(
               input.data, {"parts", "go-framework/install-app", "build-snaps"})) {
        snaps.push_back(text(snap));
      }
      snaps.push_back(text("go"));
      part["build-snaps"] = snaps;
    }
    YAML::Node stage(YAML::NodeType::Sequence);
    for (const auto& entry : organize) {
      stage.push_back(entry.second);
    }
    part["stage"] = stage;
    if (build_environment.size() > 0) {
      part["build-environment"] = build_environment;
    }
    return part;
  }

  /// The user brings Go: a go* snap, or Debian's golang-go or gccgo-go.
  static bool go_overridden(const YAML::Node& user) {
    if (!user.IsDefined() || !user.IsMap()) {
      return false;
    }
    for (const auto& snap : user["build-snaps"]) {
      if (snap.IsScalar() && snap.Scalar().starts_with("go")) {
        return true;
      }
    }
    for (const auto& package : user["build-packages"]) {
      if (package.IsScalar() &&
          (package.Scalar() == "gccgo-go" || package.Scalar() == "golang-go")) {
        return true;
      }
    }
    return false;
  }

  static YAML::Node assets_part(const ExtensionInput& input) {
    std::vector<std::string> stage = app_parts::user_entries_under(
        input.data, "go-framework/assets", "stage", "app/",
        "go-framework extension requires the 'stage' entry in the go-framework/assets part "
        "to start with app",
        "Write each stage entry as app/<file>, e.g. app/templates.");
    if (stage.empty()) {
      stage = app_parts::existing_under(input.project_root,
                                        {"migrate", "migrate.sh", "static", "templates"}, "app/");
    }
    if (stage.empty() || stage.front().empty() || stage.front().front() == '-') {
      return YAML::Node(YAML::NodeType::Undefined);
    }
    YAML::Node organize = map();
    for (const auto& entry : stage) {
      organize[app_parts::relative_to(entry, "app")] = text(entry);
    }
    YAML::Node part = map();
    part["plugin"] = text("dump");
    part["source"] = text(".");
    part["organize"] = organize;
    part["stage"] = texts(stage);
    return part;
  }
};

}  // namespace

std::unique_ptr<Extension> make_go_framework() { return std::make_unique<GoFramework>(); }

}  // namespace gantry::rock_pack
