#include "plugins/in_process_endpoint.hpp"

#include <dlfcn.h>

#include <cstdint>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>

#include "gantry/sdk/description.hpp"
#include "plugins/description_check.hpp"
#include "plugins/elf_symbols.hpp"
#include "plugins/plugin_error.hpp"

namespace gantry::host {
namespace {

constexpr const char* kRebuild = "Rebuild the plugin against this gantry's SDK.";

PluginError not_a_shared_library(const std::filesystem::path& file, const MalformedElf& error) {
  return PluginError(file, std::string("not a shared library (") + error.what() + ")",
                     "Remove the file from the plugin directory.");
}

/// What the file says of itself before it is loaded: whether it exports gantry's entry
/// alias, and the ABI version in its note (nullopt when it has none).
struct PluginFileFacts {
  bool exports_entry = false;
  std::optional<std::uint32_t> abi_version;
};

PluginFileFacts read_plugin_file(const std::filesystem::path& file) {
  try {
    const MappedFile mapped(file);
    PluginFileFacts facts;
    facts.exports_entry =
        elf_defines_symbol_in_section(mapped.bytes(), "boostdll", GANTRY_PLUGIN_ENTRY_ALIAS_NAME);
    if (!facts.exports_entry) {
      return facts;
    }
    const auto descriptor = elf_note(mapped.bytes(), GANTRY_PLUGIN_ABI_NOTE_SECTION,
                                     GANTRY_PLUGIN_ABI_NOTE_OWNER, GANTRY_PLUGIN_ABI_NOTE_TYPE);
    std::uint32_t version = 0;
    if (descriptor && descriptor->size() == sizeof(version)) {
      std::memcpy(&version, descriptor->data(), sizeof(version));
      facts.abi_version = version;
    }
    return facts;
  } catch (const MalformedElf& error) {
    throw not_a_shared_library(file, error);
  }
}

PluginError wrong_abi_version(const std::filesystem::path& file, std::uint32_t version) {
  return PluginError(file,
                     "plugin ABI version " + std::to_string(version) +
                         ", but this gantry loads ABI version " +
                         std::to_string(GANTRY_PLUGIN_ABI_VERSION),
                     kRebuild);
}

void collect_bytes(void* target, gantry_borrowed_bytes bytes) {
  auto* text = static_cast<std::string*>(target);
  if (bytes.data != nullptr) {
    text->assign(reinterpret_cast<const char*>(bytes.data), bytes.size);
  }
}

/// What the C callbacks of one run share with the host.
struct RunState {
  sdk::EventSink& sink;
  std::mutex mutex;
  bool saw_result = false;
  v1::Result result;
};

void emit_event(void* context, gantry_borrowed_bytes bytes) {
  auto& state = *static_cast<RunState*>(context);
  try {
    v1::RunEvent event;
    if (!event.ParseFromArray(bytes.data, static_cast<int>(bytes.size))) {
      return;
    }
    {
      const std::lock_guard lock(state.mutex);
      // The Result is last by contract: anything after it is dropped.
      if (state.saw_result) {
        return;
      }
      if (event.has_result()) {
        state.saw_result = true;
        state.result = event.result();
      }
    }
    state.sink.emit(event);
  } catch (...) {
    // Nothing may unwind into the plugin's frames.
  }
}

int is_cancelled(void* context) {
  try {
    return static_cast<RunState*>(context)->sink.cancelled() ? 1 : 0;
  } catch (...) {
    return 1;
  }
}

v1::StepDescription describe_through(const gantry_plugin_v1& table,
                                     const std::filesystem::path& file) {
  std::string bytes;
  table.describe(&bytes, &collect_bytes);
  v1::StepDescription description;
  if (bytes.empty() || !description.ParseFromString(bytes)) {
    throw PluginError(file, "its step could not describe itself",
                      "Run the plugin's own tests: describe() throws or returns nothing.");
  }
  return description;
}

/// Emits `result` as the run's last event; the caller returns it whatever the sink does.
void emit_result(sdk::EventSink& sink, const v1::Result& result) {
  v1::RunEvent event;
  event.set_time_unix_micros(sdk::now_unix_micros());
  *event.mutable_result() = result;
  try {
    sink.emit(event);
  } catch (...) {
    // The caller gets the result as the return value all the same.
  }
}

}  // namespace

InProcessEndpoint::Library InProcessEndpoint::open(const std::filesystem::path& file) {
  // Read the file before loading it: dlopen runs a library's constructors, and a plugin
  // of another ABI must not run any code here.
  const PluginFileFacts facts = read_plugin_file(file);
  if (!facts.exports_entry) {
    throw PluginError(file, "not a gantry plugin: it exports no " GANTRY_PLUGIN_ENTRY_ALIAS_NAME,
                      "Build it with gantry_add_plugin() and one GANTRY_PLUGIN(...) line.");
  }
  const auto& noted_version = facts.abi_version;
  if (!noted_version) {
    throw PluginError(file,
                      "it carries no ABI version note (" GANTRY_PLUGIN_ABI_NOTE_SECTION
                      "): it was built with an older gantry SDK",
                      kRebuild);
  }
  if (*noted_version != GANTRY_PLUGIN_ABI_VERSION) {
    throw wrong_abi_version(file, *noted_version);
  }
  Library opened;
  try {
    opened.library.load(boost::dll::fs::path(file.string()),
                        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& error) {
    throw PluginError(file, std::string("cannot be loaded: ") + error.what(),
                      "Check that the libraries it needs are installed (ldd shows them).");
  }
  // A plugin stays mapped until gantry exits, whatever becomes of its endpoint: its own
  // Protobuf runtime allocates at load and frees nothing at unload (LeakSanitizer's
  // report), and a thread or an atexit handler it left would run unmapped code.
  (void)::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
  auto& entry = opened.library.get_alias<gantry_plugin_entry_fn>(GANTRY_PLUGIN_ENTRY_ALIAS_NAME);
  opened.table = entry();
  const gantry_plugin_v1* table = opened.table;
  if (table == nullptr) {
    throw PluginError(file, "its entry point returned no entry table", kRebuild);
  }
  // Checked again in the table, whose layout the version governs: the one field read
  // before it is known to match.
  if (table->abi_version != GANTRY_PLUGIN_ABI_VERSION) {
    throw wrong_abi_version(file, table->abi_version);
  }
  if (table->struct_size < sizeof(gantry_plugin_v1) || table->describe == nullptr ||
      table->run == nullptr || table->name == nullptr) {
    throw PluginError(file, "its entry table is incomplete", kRebuild);
  }
  return opened;
}

std::unique_ptr<InProcessEndpoint> InProcessEndpoint::load(const std::filesystem::path& file) {
  Library opened = open(file);
  const v1::StepDescription description = describe_through(*opened.table, file);
  if (description.name() != opened.table->name) {
    throw PluginError(file,
                      "its entry table names step '" + std::string(opened.table->name) +
                          "' but its description names '" + description.name() + "'",
                      kRebuild);
  }
  if (description.protocol_version() != sdk::kProtocolVersion) {
    throw PluginError(file,
                      "step '" + description.name() + "' speaks step protocol version " +
                          std::to_string(description.protocol_version()) +
                          ", but this gantry speaks version " +
                          std::to_string(sdk::kProtocolVersion),
                      kRebuild);
  }
  if (const auto problem = description_problem(description)) {
    throw PluginError(file, *problem, kRebuild);
  }
  return std::unique_ptr<InProcessEndpoint>(
      new InProcessEndpoint(file, std::move(opened), description));
}

std::unique_ptr<InProcessEndpoint> InProcessEndpoint::described(std::filesystem::path file,
                                                                v1::StepDescription description) {
  return std::unique_ptr<InProcessEndpoint>(
      new InProcessEndpoint(std::move(file), std::nullopt, std::move(description)));
}

InProcessEndpoint::InProcessEndpoint(std::filesystem::path file, std::optional<Library> library,
                                     v1::StepDescription description)
    : file_(std::move(file)), library_(std::move(library)), description_(std::move(description)) {}

const gantry_plugin_v1& InProcessEndpoint::table() const {
  const std::lock_guard lock(mutex_);
  if (!library_) {
    Library opened = open(file_);
    if (opened.table->name != description_.name()) {
      throw PluginError(file_,
                        "it now provides step '" + std::string(opened.table->name) +
                            "', not the '" + description_.name() + "' it described",
                        "Run the command again: the library changed while gantry ran.");
    }
    library_ = std::move(opened);
  }
  return *library_->table;
}

bool InProcessEndpoint::loaded() const {
  const std::lock_guard lock(mutex_);
  return library_.has_value();
}

v1::StepDescription InProcessEndpoint::describe() const { return describe_through(table(), file_); }

v1::Result InProcessEndpoint::run(const v1::RunRequest& request, sdk::EventSink& sink) {
  RunState state{sink, {}, false, {}};
  const gantry_plugin_v1* plugin = nullptr;
  try {
    plugin = &table();
  } catch (const Error& error) {
    state.saw_result = true;
    state.result.set_outcome(v1::OUTCOME_FAILED);
    state.result.set_message(error.what());
    state.result.set_resolution(error.resolution());
    emit_result(sink, state.result);
    return state.result;
  }
  try {
    const std::string bytes = request.SerializeAsString();
    const gantry_host_v1 host{&state, &emit_event, &is_cancelled};
    plugin->run({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()}, &host);
  } catch (...) {
    // Only serialization can throw here; the plugin's own code never unwinds.
  }
  const std::lock_guard lock(state.mutex);
  if (!state.saw_result) {
    state.saw_result = true;
    state.result.set_outcome(v1::OUTCOME_FAILED);
    state.result.set_message("step '" + description_.name() + "' (" + file_.string() +
                             ") ended without reporting a result");
    state.result.set_resolution("This is a bug in the plugin: report it to its authors.");
    emit_result(sink, state.result);
  }
  return state.result;
}

}  // namespace gantry::host
