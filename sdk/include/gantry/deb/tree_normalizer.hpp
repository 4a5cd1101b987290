#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "gantry/deb/staging_tree.hpp"

namespace gantry::deb {

/// What normalize_tree changed.
struct NormalizeSummary {
  int symlinks_made_relative = 0;
  int shebangs_rewritten = 0;
};

/// Makes an unpacked tree relocatable, as craft-parts does after unpacking stage-packages:
/// deletes usr/lib/python*/sitecustomize.py; turns absolute symlinks whose target is in
/// the tree into relative ones (warning about those that dangle); rewrites Python
/// shebangs (`#!/usr/bin/python3` becomes `#!/usr/bin/env python3`; one with arguments
/// becomes a /bin/sh trampoline that execs the interpreter with them). Every change goes
/// through `tree`, so a symlink a package ships cannot redirect it out of the tree, and a
/// link target is looked up in the tree, never on the host.
NormalizeSummary normalize_tree(StagingTree& tree,
                                const std::function<void(const std::string&)>& warn);

}  // namespace gantry::deb
