#include "gantry/sdk/description.hpp"

namespace gantry::sdk {

Description::Description(std::string name, std::string version, std::string summary) {
  proto_.set_name(std::move(name));
  proto_.set_version(std::move(version));
  proto_.set_summary(std::move(summary));
  proto_.set_protocol_version(kProtocolVersion);
}

Description& Description::param(const Param& param) {
  auto* spec = proto_.add_params();
  spec->set_name(param.name);
  spec->set_type(param.type);
  spec->set_required(param.required);
  if (param.default_value) {
    *spec->mutable_default_value() = *param.default_value;
  }
  spec->set_help(param.help);
  spec->set_secret(param.secret);
  if (param.minimum) {
    spec->set_minimum(*param.minimum);
  }
  if (param.maximum) {
    spec->set_maximum(*param.maximum);
  }
  for (const auto& choice : param.choices) {
    spec->add_choices(choice);
  }
  return *this;
}

Description& Description::output(std::string name, std::string help) {
  auto* spec = proto_.add_outputs();
  spec->set_name(std::move(name));
  spec->set_help(std::move(help));
  return *this;
}

Description& Description::capability(std::string flag) {
  proto_.add_capabilities(std::move(flag));
  return *this;
}

}  // namespace gantry::sdk
