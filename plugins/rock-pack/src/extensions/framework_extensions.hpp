// The framework extensions gantry implements, by name (RC rockcraft/extensions/registry.py).
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "extensions/extension.hpp"

namespace gantry::rock_pack {

std::unique_ptr<Extension> make_flask_framework();
std::unique_ptr<Extension> make_django_framework();
std::unique_ptr<Extension> make_fastapi_framework();
std::unique_ptr<Extension> make_go_framework();

/// The files flask-framework and django-framework ship (gunicorn.conf.py,
/// statsd-mapping.conf); empty for the others.
std::vector<ExtensionFile> extension_files(std::string_view name);

}  // namespace gantry::rock_pack
