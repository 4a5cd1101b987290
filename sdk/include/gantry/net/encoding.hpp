#pragma once

#include <string>
#include <string_view>

namespace gantry::net {

/// `text` with every byte outside RFC 3986's unreserved characters percent-encoded.
[[nodiscard]] std::string url_encode(std::string_view text);
/// Standard base64 with padding.
[[nodiscard]] std::string base64(std::string_view bytes);
/// Decodes standard or URL-safe base64; padding and whitespace are skipped.
[[nodiscard]] std::string base64_decode(std::string_view text);

/// `text` cut to `limit` bytes with control characters (escape sequences, newlines)
/// shown as \xNN: remote text fit to put in a message on a terminal.
[[nodiscard]] std::string printable(std::string_view text, std::size_t limit = 200);

}  // namespace gantry::net
