#pragma once

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>

#include "gantry/sdk/abi.h"
#include "plugins/step_endpoint.hpp"

namespace gantry::host {

/// A step plugin loaded into this process with Boost.DLL. The endpoint owns a reference
/// to the library, so the code it calls stays mapped for as long as the endpoint lives.
class InProcessEndpoint final : public StepEndpoint {
 public:
  /// Loads `file` and checks it: a gantry plugin alias, ABI version, a description that
  /// parses and agrees with the entry table. Throws PluginError naming the file.
  static std::unique_ptr<InProcessEndpoint> load(const std::filesystem::path& file);

  [[nodiscard]] const v1::StepDescription& description() const override { return description_; }
  /// Asks the plugin for its description again, through the ABI. Throws PluginError.
  [[nodiscard]] v1::StepDescription describe() const;
  [[nodiscard]] std::string origin() const override { return file_.string(); }
  v1::Result run(const v1::RunRequest& request, sdk::EventSink& sink) override;

 private:
  InProcessEndpoint(std::filesystem::path file, boost::dll::shared_library library,
                    const gantry_plugin_v1* table, v1::StepDescription description);

  std::filesystem::path file_;
  boost::dll::shared_library library_;
  const gantry_plugin_v1* table_;
  v1::StepDescription description_;
};

}  // namespace gantry::host
