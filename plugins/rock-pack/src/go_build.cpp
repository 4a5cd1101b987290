#include "go_build.hpp"

namespace gantry::rock_pack {
namespace {

/// A word for bash, in single quotes unless it needs none.
std::string quoted(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
                                              "WXYZ0123456789._-/,=+:@") == std::string::npos) {
    return word;
  }
  std::string out = "'";
  for (const char c : word) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

}  // namespace

std::string go_build_script(const GoBuild& build) {
  std::string script = "go mod download all\n";
  for (const auto& generate : build.generate) {
    script += "go generate " + quoted(generate) + "\n";
  }
  script += "go install -p " + std::to_string(build.jobs);
  if (!build.buildtags.empty()) {
    std::string tags;
    for (const auto& tag : build.buildtags) {
      tags += (tags.empty() ? "" : ",") + tag;
    }
    script += " " + quoted("-tags=" + tags);
  }
  return script + " ./...\n";
}

}  // namespace gantry::rock_pack
