// A library built for a future ABI: its note and its table say 99. The host must refuse it
// from the file, before loading it runs the static constructor below, and say which file
// and which versions.
#include <boost/dll/alias.hpp>

#include "code_ran_marker.hpp"
#include "gantry/sdk/abi.h"

namespace {

GANTRY_PLUGIN_ABI_NOTE(99);

const gantry_test_plugin::CodeRanMarker kMarker("wrong-abi");

struct FutureTable {
  uint32_t abi_version;
  uint32_t struct_size;
};

const FutureTable kTable{99, sizeof(FutureTable)};

const gantry_plugin_v1* entry() { return reinterpret_cast<const gantry_plugin_v1*>(&kTable); }

}  // namespace

BOOST_DLL_ALIAS(entry, gantry_plugin_entry_v1)
