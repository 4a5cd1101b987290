// The `go` plugin (canonical/craft-parts plugins/go_plugin.py): the module's dependencies
// downloaded, its `go-generate` entries run, and every main package installed into the
// part's bin/ with `go install`.
#pragma once

#include <string>
#include <vector>

namespace gantry::rock_pack {

struct GoBuild {
  std::vector<std::string> buildtags;  ///< go-buildtags
  std::vector<std::string> generate;   ///< go-generate
  unsigned jobs = 1;                   ///< go install -p
};

/// The bash script that builds the part in its build directory; GOBIN is set by the caller
/// (the part's install directory's bin/).
[[nodiscard]] std::string go_build_script(const GoBuild& build);

}  // namespace gantry::rock_pack
