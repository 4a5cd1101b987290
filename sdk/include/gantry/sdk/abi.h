/* The binary boundary between the gantry host and a step plugin.
 *
 * Plain C on purpose: no C++ object, exception or allocator crosses it, so a plugin
 * built by another compiler or against another Protobuf still loads. Every call
 * carries serialized gantry.v1 messages. Bytes named "borrowed" belong to the caller
 * and are valid only for the duration of the call that hands them over.
 *
 * A plugin exports one symbol, GANTRY_PLUGIN_ENTRY_ALIAS, through BOOST_DLL_ALIAS. The
 * host reads `abi_version` before anything else and refuses any other value. */
#ifndef GANTRY_SDK_ABI_H
#define GANTRY_SDK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The version of this struct layout; bumped on any incompatible change. */
#define GANTRY_PLUGIN_ABI_VERSION 1u

/** The name of the Boost.DLL alias every plugin exports. */
#define GANTRY_PLUGIN_ENTRY_ALIAS gantry_plugin_entry_v1
#define GANTRY_PLUGIN_ENTRY_ALIAS_NAME "gantry_plugin_entry_v1"

/** Bytes owned by the caller, valid only during the call that passes them. */
typedef struct gantry_borrowed_bytes {
  const unsigned char* data;
  size_t size;
} gantry_borrowed_bytes;

/** Receives bytes during a call; the callee copies what it keeps. */
typedef void (*gantry_bytes_sink)(void* sink_context, gantry_borrowed_bytes bytes);

/** What the host lends a plugin for one run. */
typedef struct gantry_host_v1 {
  /** Opaque host state, passed back unchanged to every callback. */
  void* context;
  /** Receives one serialized gantry.v1.RunEvent. Thread-safe: a step may emit from any thread. */
  gantry_bytes_sink emit;
  /** Non-zero once the host wants the run to stop. Thread-safe and cheap to poll. */
  int (*is_cancelled)(void* context);
} gantry_host_v1;

/** The plugin's entry table. Static storage owned by the plugin while it is loaded. */
typedef struct gantry_plugin_v1 {
  /** Always first: GANTRY_PLUGIN_ABI_VERSION of the SDK the plugin was built with. */
  uint32_t abi_version;
  /** sizeof(gantry_plugin_v1) as the plugin saw it. */
  uint32_t struct_size;
  /** The step's name and version, as in its description. */
  const char* name;
  const char* version;
  /** Writes one serialized gantry.v1.StepDescription to `sink`. */
  void (*describe)(void* sink_context, gantry_bytes_sink sink);
  /** Runs once: reads a serialized gantry.v1.RunRequest, emits RunEvents through `host`,
   *  the last of which is the Result. Returns when the run has ended. */
  void (*run)(gantry_borrowed_bytes run_request, const gantry_host_v1* host);
} gantry_plugin_v1;

/** The signature of the exported entry point. */
typedef const gantry_plugin_v1* gantry_plugin_entry_fn(void);

#ifdef __cplusplus
}
#endif

#endif /* GANTRY_SDK_ABI_H */
