#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>

#include "gantry/sdk/abi.h"
#include "plugins/step_endpoint.hpp"

namespace gantry::host {

/// A step plugin loaded into this process with Boost.DLL. The endpoint owns a reference
/// to the library, so the code it calls stays mapped for as long as the endpoint lives.
/// An endpoint made from a cached description loads its library on the first run only.
class InProcessEndpoint final : public StepEndpoint {
 public:
  /// Loads `file` and checks it: an ELF file that exports the gantry plugin alias and
  /// notes this host's ABI version (both read from the file before it is loaded), the
  /// same ABI version in its entry table, a description that parses, agrees with the
  /// entry table and uses valid names. Throws PluginError naming the file.
  static std::unique_ptr<InProcessEndpoint> load(const std::filesystem::path& file);

  /// An endpoint for `file` whose description is already known (from the description
  /// cache). Nothing is loaded until run() or describe(); the library is then checked as
  /// load() checks it, and must name the same step.
  static std::unique_ptr<InProcessEndpoint> described(std::filesystem::path file,
                                                      v1::StepDescription description);

  [[nodiscard]] const v1::StepDescription& description() const override { return description_; }
  /// Asks the plugin for its description again, through the ABI. Throws PluginError.
  [[nodiscard]] v1::StepDescription describe() const;
  [[nodiscard]] std::string origin() const override { return file_.string(); }
  [[nodiscard]] StepTransport transport() const override { return StepTransport::kInProcess; }
  v1::Result run(const v1::RunRequest& request, sdk::EventSink& sink) override;
  /// Whether the library is loaded in this process.
  [[nodiscard]] bool loaded() const;

 private:
  /// A loaded library and its checked entry table.
  struct Library {
    boost::dll::shared_library library;
    const gantry_plugin_v1* table = nullptr;
  };

  InProcessEndpoint(std::filesystem::path file, std::optional<Library> library,
                    v1::StepDescription description);

  static Library open(const std::filesystem::path& file);
  /// The library, loaded on first use. Throws PluginError.
  const gantry_plugin_v1& table() const;

  std::filesystem::path file_;
  mutable std::mutex mutex_;
  mutable std::optional<Library> library_;
  v1::StepDescription description_;
};

}  // namespace gantry::host
