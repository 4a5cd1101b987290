#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gantry::deb {

/// The version operator of a relation; kNone when the relation names no version.
enum class VersionOp { kNone, kLess, kLessEqual, kEqual, kGreaterEqual, kGreater };

/// One package relation, e.g. `libc6:any (>= 2.34)`.
struct Relation {
  std::string name;
  std::string arch_qualifier;  ///< "any", "native", an architecture, or ""
  VersionOp op = VersionOp::kNone;
  std::string version;

  /// As Debian writes it: `name[:arch] [(op version)]`.
  [[nodiscard]] std::string str() const;
};

/// `a | b | c`: satisfied by the first alternative that can be.
using Alternatives = std::vector<Relation>;

/// Parses a Depends-style field (comma-separated groups of `|`-separated relations).
/// Architecture restrictions (`[amd64]`) and build profiles (`<!nocheck>`) are parsed and
/// dropped (they only appear in source packages). Throws DebError naming `origin`.
[[nodiscard]] std::vector<Alternatives> parse_relations(std::string_view field,
                                                        std::string_view origin);

/// Whether `version` satisfies `op required` (Debian version ordering).
[[nodiscard]] bool version_satisfies(std::string_view version, VersionOp op,
                                     std::string_view required);

[[nodiscard]] std::string_view op_str(VersionOp op);

}  // namespace gantry::deb
