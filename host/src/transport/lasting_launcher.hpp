#pragma once

#include <memory>

#include "gantry/sdk/child_process.hpp"

namespace gantry::host {

/// Starts `spec` from a thread that lives as long as this process. A child started with
/// PR_SET_PDEATHSIG (as sdk::ChildProcess does) is killed when the *thread* that forked it
/// ends, not the process; a step process outlives the step thread that first needed it,
/// so it must be forked from a thread that does not end before gantry does.
/// Throws what sdk::ChildProcess throws.
[[nodiscard]] std::unique_ptr<sdk::ChildProcess> launch_lasting_child(const sdk::ChildSpec& spec);

}  // namespace gantry::host
