// The SPDX license list (a reasonable subset) and SPDX license expressions.
#include "spdx_licenses.hpp"

#include <cctype>
#include <functional>
#include <vector>

#include "yaml_reader.hpp"

namespace gantry::rock_pack::detail {
namespace {

// A reasonable set of SPDX license ids (the SPDX license list), space-separated, as SPDX
// spells them; matched without regard to case.
constexpr std::string_view kSpdxLicenses =
    "0BSD AFL-3.0 AGPL-1.0-only AGPL-1.0-or-later AGPL-3.0 AGPL-3.0-only AGPL-3.0-or-later "
    "Apache-1.0 Apache-1.1 Apache-2.0 APSL-2.0 Artistic-1.0 Artistic-1.0-Perl Artistic-2.0 "
    "BlueOak-1.0.0 BSD-1-Clause BSD-2-Clause BSD-2-Clause-Patent BSD-2-Clause-Views "
    "BSD-3-Clause BSD-3-Clause-Clear BSD-4-Clause BSL-1.0 BUSL-1.1 bzip2-1.0.6 CAL-1.0 "
    "CC-BY-3.0 CC-BY-4.0 CC-BY-NC-4.0 CC-BY-NC-SA-4.0 CC-BY-ND-4.0 CC-BY-SA-3.0 CC-BY-SA-4.0 "
    "CC0-1.0 CDDL-1.0 CDDL-1.1 CECILL-2.1 CPAL-1.0 CPL-1.0 curl ECL-2.0 EFL-2.0 Elastic-2.0 "
    "EPL-1.0 EPL-2.0 EUPL-1.1 EUPL-1.2 FSFAP FSFUL FSFULLR FTL GFDL-1.2 GFDL-1.2-only "
    "GFDL-1.2-or-later GFDL-1.3 GFDL-1.3-only GFDL-1.3-or-later GPL-1.0 GPL-1.0-only "
    "GPL-1.0-or-later GPL-2.0 GPL-2.0-only GPL-2.0-or-later GPL-3.0 GPL-3.0-only "
    "GPL-3.0-or-later HPND ICU IJG ImageMagick Intel IPL-1.0 ISC JSON LGPL-2.0 LGPL-2.0-only "
    "LGPL-2.0-or-later LGPL-2.1 LGPL-2.1-only LGPL-2.1-or-later LGPL-3.0 LGPL-3.0-only "
    "LGPL-3.0-or-later Libpng libpng-2.0 libtiff LPL-1.02 LPPL-1.3c MirOS MIT MIT-0 MIT-CMU "
    "MIT-Modern-Variant MPL-1.0 MPL-1.1 MPL-2.0 MPL-2.0-no-copyleft-exception MS-PL MS-RL "
    "MulanPSL-2.0 NCSA Nokia NTP OFL-1.0 OFL-1.1 OpenSSL OSL-3.0 PHP-3.0 PHP-3.01 PostgreSQL "
    "PSF-2.0 Python-2.0 Python-2.0.1 QPL-1.0 Ruby SGI-B-2.0 SISSL Sleepycat SMLNJ SSPL-1.0 TCL "
    "Unicode-3.0 Unicode-DFS-2016 Unlicense UPL-1.0 Vim W3C WTFPL X11 XFree86-1.1 Xnet Zlib "
    "zlib-acknowledgement ZPL-2.0 ZPL-2.1";
// Common SPDX license exceptions, for `WITH`.
constexpr std::string_view kSpdxExceptions =
    "Autoconf-exception-2.0 Autoconf-exception-3.0 Bison-exception-2.2 Bootloader-exception "
    "Classpath-exception-2.0 Font-exception-2.0 GCC-exception-2.0 GCC-exception-3.1 "
    "LGPL-3.0-linking-exception Libtool-exception Linux-syscall-note LLVM-exception "
    "OCaml-LGPL-linking-exception openvpn-openssl-exception Qt-GPL-exception-1.0 "
    "Qt-LGPL-exception-1.1 Swift-exception u-boot-exception-2.0 Universal-FOSS-exception-1.0 "
    "WxWindows-exception-3.1";

/// `id` as spelled in the space-separated `known`, or nullopt.
std::optional<std::string> spdx_id(std::string_view id, std::string_view known) {
  while (!known.empty()) {
    const auto end = std::min(known.find(' '), known.size());
    if (iequals(known.substr(0, end), id)) {
      return std::string(known.substr(0, end));
    }
    known.remove_prefix(std::min(end + 1, known.size()));
  }
  return std::nullopt;
}

bool license_ref(std::string_view id) {
  if (const auto colon = id.find(':'); colon != std::string_view::npos) {
    if (!id.substr(0, colon).starts_with("DocumentRef-")) {
      return false;
    }
    id.remove_prefix(colon + 1);
  }
  return id.starts_with("LicenseRef-") && id.size() > 11 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-",
                              11) == std::string_view::npos;
}

}  // namespace

std::optional<std::string> spdx_expression(std::string_view text) {
  std::vector<std::string> tokens;
  std::string word;
  for (const char c : text) {
    if (c == '(' || c == ')' || std::isspace(static_cast<unsigned char>(c)) != 0) {
      if (!word.empty()) {
        tokens.push_back(std::move(word));
        word.clear();
      }
      if (c == '(' || c == ')') {
        tokens.emplace_back(1, c);
      }
    } else {
      word += c;
    }
  }
  if (!word.empty()) {
    tokens.push_back(std::move(word));
  }
  std::size_t at = 0;
  bool ok = true;
  std::string out;
  const auto is_operator = [](const std::string& token, std::string_view op) {
    return iequals(token, op);
  };
  // expression := term (OR term)*; term := factor (AND factor)*;
  // factor := "(" expression ")" | license [WITH exception]
  std::function<void()> expression;
  const auto factor = [&] {
    if (at >= tokens.size()) {
      ok = false;
      return;
    }
    if (tokens[at] == "(") {
      ++at;
      out += "(";
      expression();
      if (at >= tokens.size() || tokens[at] != ")") {
        ok = false;
        return;
      }
      ++at;
      out += ")";
      return;
    }
    std::string id = tokens[at++];
    const bool or_later = id.size() > 1 && id.back() == '+';
    if (or_later) {
      id.pop_back();
    }
    if (const auto known = spdx_id(id, kSpdxLicenses)) {
      out += *known + (or_later ? "+" : "");
    } else if (!or_later && license_ref(id)) {
      out += id;
    } else {
      ok = false;
      return;
    }
    if (at < tokens.size() && is_operator(tokens[at], "WITH")) {
      ++at;
      const auto exception =
          at < tokens.size() ? spdx_id(tokens[at], kSpdxExceptions) : std::nullopt;
      if (!exception) {
        ok = false;
        return;
      }
      ++at;
      out += " WITH " + *exception;
    }
  };
  const auto term = [&] {
    factor();
    while (ok && at < tokens.size() && is_operator(tokens[at], "AND")) {
      ++at;
      out += " AND ";
      factor();
    }
  };
  expression = [&] {
    term();
    while (ok && at < tokens.size() && is_operator(tokens[at], "OR")) {
      ++at;
      out += " OR ";
      term();
    }
  };
  expression();
  if (!ok || at != tokens.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace gantry::rock_pack::detail
