#include "transport/transport_module.hpp"

#include <dlfcn.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <cstdlib>
#include <mutex>

#include "gantry/sdk/error.hpp"

namespace gantry::host {
namespace {

using Entry = const TransportModule* (*)();

std::filesystem::path module_file() {
  if (const char* given = std::getenv("GANTRY_TRANSPORT_MODULE"); given != nullptr && *given) {
    return given;
  }
  const std::filesystem::path executable(boost::dll::program_location().string());
  return (executable.parent_path() / ".." / "lib" / "gantry" / "gantry-transport.so")
      .lexically_normal();
}

const TransportModule& load() {
  if (auto* linked = reinterpret_cast<Entry>(::dlsym(RTLD_DEFAULT, kTransportModuleEntry))) {
    return *linked();
  }
  const auto file = module_file();
  // Kept loaded for the life of the process: its threads and objects outlive any caller.
  void* handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    throw Error("cannot load gantry's gRPC transport " + file.string() + ": " +
                    (why != nullptr ? why : "unknown error"),
                "Reinstall gantry: the module ships beside its plugins, in lib/gantry.");
  }
  auto* entry = reinterpret_cast<Entry>(::dlsym(handle, kTransportModuleEntry));
  if (entry == nullptr) {
    throw Error(file.string() + " is not gantry's gRPC transport module",
                "Reinstall gantry, or unset GANTRY_TRANSPORT_MODULE.");
  }
  return *entry();
}

}  // namespace

TransportModule::~TransportModule() = default;

const TransportModule& transport_module() {
  static std::mutex mutex;
  static const TransportModule* module = nullptr;
  const std::lock_guard lock(mutex);
  if (module == nullptr) {
    module = &load();
  }
  return *module;
}

}  // namespace gantry::host
