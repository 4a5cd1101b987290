#include "gantry/net/body_reader.hpp"

namespace gantry::net {

BodyReader::~BodyReader() = default;

}  // namespace gantry::net
