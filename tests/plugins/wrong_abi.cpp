// A library built for a future ABI: the host must refuse it after reading only the
// version field, and say which file and which versions.
#include <boost/dll/alias.hpp>

#include "gantry/sdk/abi.h"

namespace {

struct FutureTable {
  uint32_t abi_version;
  uint32_t struct_size;
};

const FutureTable kTable{99, sizeof(FutureTable)};

const gantry_plugin_v1* entry() { return reinterpret_cast<const gantry_plugin_v1*>(&kTable); }

}  // namespace

BOOST_DLL_ALIAS(entry, gantry_plugin_entry_v1)
