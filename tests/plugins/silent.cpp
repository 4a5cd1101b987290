// A hand-written plugin that breaks the protocol: its run() reports no Result. The
// host must still end the step with exactly one (failed) Result.
#include <boost/dll/alias.hpp>
#include <string>

#include "gantry/sdk/abi.h"
#include "gantry/v1/step.pb.h"

namespace {

GANTRY_PLUGIN_ABI_NOTE(GANTRY_PLUGIN_ABI_VERSION);

void describe(void* context, gantry_bytes_sink sink) {
  gantry::v1::StepDescription description;
  description.set_name("silent");
  description.set_version("1.0.0");
  description.set_protocol_version(1);
  description.set_summary("End a run without a result");
  const std::string bytes = description.SerializeAsString();
  sink(context, {reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
}

void run(gantry_borrowed_bytes /*request*/, const gantry_host_v1* /*host*/) {}

const gantry_plugin_v1 kTable{
    GANTRY_PLUGIN_ABI_VERSION, sizeof(gantry_plugin_v1), "silent", "1.0.0", &describe, &run};

const gantry_plugin_v1* entry() { return &kTable; }

}  // namespace

BOOST_DLL_ALIAS(entry, gantry_plugin_entry_v1)
