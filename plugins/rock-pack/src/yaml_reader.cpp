// See yaml_reader.hpp.
#include "yaml_reader.hpp"

#include <algorithm>
#include <cctype>

namespace gantry::rock_pack::detail {

bool contains(Names names, std::string_view value) {
  return std::find(names.begin(), names.end(), value) != names.end();
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string py_list(std::span<const std::string> items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i == 0 ? "" : ", ") + py_repr(items[i]);
  }
  return out + "]";
}

std::string py_list(Names items) {
  return py_list(std::vector<std::string>(items.begin(), items.end()));
}

std::string joined(Names names, std::string_view separator) {
  std::string out;
  for (const auto name : names) {
    out += (out.empty() ? "" : std::string(separator)) + std::string(name);
  }
  return out;
}

std::string lower_first(std::string message) {
  if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) != 0 &&
      std::isupper(static_cast<unsigned char>(message[1])) == 0) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

std::string url_problem(std::string_view url, Names schemes) {
  const auto separator = url.find("://");
  if (separator == std::string_view::npos || separator == 0 ||
      url.substr(0, separator)
              .find_first_not_of(
                  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") !=
          std::string_view::npos) {
    return "Input should be a valid URL, relative URL without a base";
  }
  std::string scheme(url.substr(0, separator));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!schemes.empty() && !contains(schemes, scheme)) {
    return "URL scheme should be " + choices(schemes);
  }
  const auto rest = url.substr(separator + 3);
  if (rest.empty() || rest.front() == '/' ||
      rest.find_first_of(" \t\n") != std::string_view::npos) {
    return "Input should be a valid URL, empty host";
  }
  return {};
}

}  // namespace gantry::rock_pack::detail
