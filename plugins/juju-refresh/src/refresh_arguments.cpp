#include "refresh_arguments.hpp"

#include "gantry/sdk/error.hpp"

namespace gantry::juju {

std::pair<std::string, std::string> split_resource(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    throw Error("resource '" + text + "' is not NAME=VALUE",
                "Write it as in the charm, e.g. flask-app-image=localhost:32000/myapp:0.2.");
  }
  return {text.substr(0, equals), text.substr(equals + 1)};
}

void check_combination(const RefreshRequest& request) {
  if (request.path && (request.channel || request.revision || request.switch_to)) {
    throw Error("--path cannot be combined with --channel, --revision or --switch",
                "A local charm (--path) has no store channel or revision: give one or the "
                "other, as juju refresh requires.");
  }
}

std::vector<std::string> refresh_arguments(const RefreshRequest& request) {
  std::vector<std::string> args{"refresh", request.application};
  if (request.path) {
    args.insert(args.end(), {"--path", *request.path});
  }
  for (const auto& [name, value] : request.resources) {
    args.insert(args.end(), {"--resource", name + "=" + value});
  }
  if (request.channel) {
    args.insert(args.end(), {"--channel", *request.channel});
  }
  if (request.revision) {
    args.insert(args.end(), {"--revision", std::to_string(*request.revision)});
  }
  if (request.switch_to) {
    args.insert(args.end(), {"--switch", *request.switch_to});
  }
  if (request.base) {
    args.insert(args.end(), {"--base", *request.base});
  }
  if (request.trust) {
    args.emplace_back("--trust");
  }
  if (request.force_units) {
    args.emplace_back("--force-units");
  }
  return args;
}

}  // namespace gantry::juju
