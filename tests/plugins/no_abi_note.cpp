// A plugin as an SDK before the ABI note built it: the entry alias, a version-1 table, no
// note. The host cannot know its ABI without running its code, so it refuses it unloaded.
#include <boost/dll/alias.hpp>

#include "code_ran_marker.hpp"
#include "gantry/sdk/abi.h"

namespace {

const gantry_test_plugin::CodeRanMarker kMarker("no-abi-note");

const gantry_plugin_v1 kTable{
    GANTRY_PLUGIN_ABI_VERSION, sizeof(gantry_plugin_v1), "no-abi-note", "1.0.0", nullptr, nullptr};

const gantry_plugin_v1* entry() { return &kTable; }

}  // namespace

BOOST_DLL_ALIAS(entry, gantry_plugin_entry_v1)
