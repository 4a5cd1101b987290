/* The binary boundary between the gantry host and a step plugin.
 *
 * Plain C on purpose: no C++ object, exception or allocator crosses it. Every call
 * carries serialized gantry.v1 messages. Bytes named "borrowed" belong to the caller
 * and are valid only for the duration of the call that hands them over.
 *
 * A plugin built with gantry_add_plugin() carries its own copy of the SDK and of the
 * Protobuf runtime and exports one symbol, GANTRY_PLUGIN_ENTRY_ALIAS, through
 * BOOST_DLL_ALIAS; it imports no C++ symbol of gantry's or Protobuf's from the host. So a
 * plugin built by another compiler (clang++ or g++, both on libstdc++) or against another
 * Protobuf release loads, as long as its ABI version is the host's.
 *
 * The ABI version is in the file twice. GANTRY_PLUGIN(...) puts it in an ELF note
 * (gantry_plugin_abi_note below), which the host reads from the file before it loads the
 * library, since loading runs the plugin's static constructors; a file without the note or
 * with another version is refused unloaded. After loading, the host checks the entry
 * table's `abi_version` again before it reads any other field. */
#ifndef GANTRY_SDK_ABI_H
#define GANTRY_SDK_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The version of this struct layout; bumped on any incompatible change. */
#define GANTRY_PLUGIN_ABI_VERSION 1u

/** The ELF note that carries a plugin's ABI version: in section GANTRY_PLUGIN_ABI_NOTE_SECTION,
 *  owner "gantry", type GANTRY_PLUGIN_ABI_NOTE_TYPE, a 4-byte descriptor holding the version. */
#define GANTRY_PLUGIN_ABI_NOTE_SECTION ".note.gantry.abi"
#define GANTRY_PLUGIN_ABI_NOTE_OWNER "gantry"
#define GANTRY_PLUGIN_ABI_NOTE_TYPE 1u

/** The note's bytes, laid out as the ELF specification lays out a note entry. */
typedef struct gantry_plugin_abi_note {
  uint32_t owner_size;   /* sizeof(GANTRY_PLUGIN_ABI_NOTE_OWNER), with its NUL */
  uint32_t version_size; /* sizeof(uint32_t) */
  uint32_t type;         /* GANTRY_PLUGIN_ABI_NOTE_TYPE */
  char owner[8];         /* GANTRY_PLUGIN_ABI_NOTE_OWNER, NUL-padded to a multiple of 4 */
  uint32_t abi_version;
} gantry_plugin_abi_note;

/** Defines the note for `version` in this translation unit; GANTRY_PLUGIN(...) uses it. */
#define GANTRY_PLUGIN_ABI_NOTE(version)                                                        \
  static const gantry_plugin_abi_note gantry_plugin_abi_note_of_this_plugin                    \
      __attribute__((section(GANTRY_PLUGIN_ABI_NOTE_SECTION), used, aligned(4))) = {           \
          sizeof(GANTRY_PLUGIN_ABI_NOTE_OWNER), sizeof(uint32_t), GANTRY_PLUGIN_ABI_NOTE_TYPE, \
          GANTRY_PLUGIN_ABI_NOTE_OWNER, (version)}

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
