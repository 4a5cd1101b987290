// libarchive's failure messages, which are sometimes missing.
#pragma once

#include <archive.h>

#include <string>

namespace gantry::archive {

/// libarchive's message for the last failure on `reader`. libarchive keeps none (NULL)
/// for some failures, e.g. a compressed member too short to tell its format, or an
/// end of archive where a header was expected: then a placeholder.
[[nodiscard]] inline std::string libarchive_error(struct ::archive* reader) {
  const char* text = archive_error_string(reader);
  return text != nullptr ? text : "libarchive gives no reason";
}

}  // namespace gantry::archive
