// A library whose ABI note says 1 but whose entry table says 99 (a hand-made table, or a
// note that lies): the host loads it, then refuses it on the table's version.
#include <boost/dll/alias.hpp>

#include "code_ran_marker.hpp"
#include "gantry/sdk/abi.h"

namespace {

GANTRY_PLUGIN_ABI_NOTE(GANTRY_PLUGIN_ABI_VERSION);

const gantry_test_plugin::CodeRanMarker kMarker("table-abi-mismatch");

struct FutureTable {
  uint32_t abi_version;
  uint32_t struct_size;
};

const FutureTable kTable{99, sizeof(FutureTable)};

const gantry_plugin_v1* entry() { return reinterpret_cast<const gantry_plugin_v1*>(&kTable); }

}  // namespace

BOOST_DLL_ALIAS(entry, gantry_plugin_entry_v1)
