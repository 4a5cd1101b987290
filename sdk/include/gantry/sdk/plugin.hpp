#pragma once

// Turns a Step class into a loadable gantry plugin: one line, GANTRY_PLUGIN(MyStep),
// in one source file of the shared library.

#include <boost/dll/alias.hpp>
#include <memory>
#include <string>

#include "gantry/sdk/abi.h"
#include "gantry/sdk/step.hpp"

namespace gantry::sdk::detail {

using StepFactory = std::unique_ptr<Step> (*)();

/// The C entry points' bodies; they catch everything, as nothing may cross the ABI.
void describe_through_abi(StepFactory factory, void* sink_context, gantry_bytes_sink sink) noexcept;
void run_through_abi(StepFactory factory, gantry_borrowed_bytes request,
                     const gantry_host_v1* host) noexcept;
/// The name and version the entry table publishes; "" when describe() throws.
[[nodiscard]] std::string describe_name(StepFactory factory) noexcept;
[[nodiscard]] std::string describe_version(StepFactory factory) noexcept;

template <class StepClass>
std::unique_ptr<Step> make_step() {
  return std::make_unique<StepClass>();
}

template <class StepClass>
void describe_entry(void* sink_context, gantry_bytes_sink sink) {
  describe_through_abi(&make_step<StepClass>, sink_context, sink);
}

template <class StepClass>
void run_entry(gantry_borrowed_bytes request, const gantry_host_v1* host) {
  run_through_abi(&make_step<StepClass>, request, host);
}

/// The plugin's static entry table for StepClass.
template <class StepClass>
const gantry_plugin_v1* plugin_entry() {
  static const std::string name = describe_name(&make_step<StepClass>);
  static const std::string version = describe_version(&make_step<StepClass>);
  static const gantry_plugin_v1 table{
      GANTRY_PLUGIN_ABI_VERSION, sizeof(gantry_plugin_v1),   name.c_str(),
      version.c_str(),           &describe_entry<StepClass>, &run_entry<StepClass>,
  };
  return &table;
}

}  // namespace gantry::sdk::detail

/// Exports StepClass (default-constructible, derived from gantry::sdk::Step) as the
/// plugin of this shared library, with the ABI note the host reads before loading it.
/// Use once per library.
#define GANTRY_PLUGIN(StepClass)                             \
  namespace gantry_plugin_export {                           \
  GANTRY_PLUGIN_ABI_NOTE(GANTRY_PLUGIN_ABI_VERSION);         \
  static const gantry_plugin_v1* entry() {                   \
    return ::gantry::sdk::detail::plugin_entry<StepClass>(); \
  }                                                          \
  }                                                          \
  BOOST_DLL_ALIAS(gantry_plugin_export::entry, gantry_plugin_entry_v1)
