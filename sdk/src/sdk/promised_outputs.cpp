#include "gantry/sdk/promised_outputs.hpp"

namespace gantry::sdk {

std::string outputs_param(const v1::StepDescription& description) {
  for (const auto& capability : description.capabilities()) {
    if (capability.starts_with(kOutputsFromParamCapability)) {
      return capability.substr(kOutputsFromParamCapability.size());
    }
  }
  return {};
}

std::set<std::string> promised_outputs(
    const v1::StepDescription& description,
    const google::protobuf::Map<std::string, v1::Value>& params) {
  std::set<std::string> names;
  for (const auto& output : description.outputs()) {
    names.insert(output.name());
  }
  const std::string from_param = outputs_param(description);
  if (!from_param.empty()) {
    const auto found = params.find(from_param);
    if (found != params.end() && found->second.has_list_value()) {
      names.insert(found->second.list_value().items().begin(),
                   found->second.list_value().items().end());
    }
  }
  return names;
}

}  // namespace gantry::sdk
