#pragma once

#include <cstddef>
#include <span>

namespace gantry::net {

/// The body of a request, read from its start, in order. Not thread-safe.
class BodyReader {
 public:
  virtual ~BodyReader();
  /// Fills up to `buffer.size()` bytes; 0 at the end. Throws gantry::Error on failure.
  virtual std::size_t read(std::span<char> buffer) = 0;
};

}  // namespace gantry::net
