// The table a run ends with on a terminal or in CI: one row per step (status, duration,
// cached or not) and one row per artifact under it (kind, where, digest, size).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "report/reporter.hpp"

namespace gantry::host {

/// Artifacts each step announced, by step id.
using ArtifactsByStep = std::map<std::string, std::vector<v1::Artifact>>;

/// The table's lines, columns aligned.
[[nodiscard]] std::vector<std::string> summary_table(const RunSummary& summary,
                                                     const ArtifactsByStep& artifacts);

}  // namespace gantry::host
