#include "gantry/oci/image_reference.hpp"

#include <regex>

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

// The distribution spec's grammar for repository path components and tags.
const std::regex kComponent("^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*$");
const std::regex kTag("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$");

bool looks_like_registry(std::string_view first) {
  return first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
         first == "localhost";
}

OciError invalid(std::string_view text, const std::string& why) {
  return OciError("invalid image reference '" + std::string(text) + "': " + why,
                  "Write it as HOST[:PORT]/REPOSITORY[:TAG][@sha256:DIGEST], e.g. "
                  "localhost:5000/myapp:0.2.");
}

}  // namespace

ImageReference ImageReference::parse(std::string_view text) {
  if (text.empty()) {
    throw invalid(text, "it is empty");
  }
  ImageReference reference;
  std::string_view rest = text;
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    try {
      reference.digest = Digest::parse(rest.substr(at + 1));
    } catch (const Error& error) {
      throw invalid(text, error.what());
    }
    rest = rest.substr(0, at);
  }
  if (const auto slash = rest.find('/');
      slash != std::string_view::npos && looks_like_registry(rest.substr(0, slash))) {
    reference.registry = std::string(rest.substr(0, slash));
    rest = rest.substr(slash + 1);
  } else {
    reference.registry = "docker.io";
  }
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    reference.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!std::regex_match(reference.tag, kTag)) {
      throw invalid(text, "tag '" + reference.tag + "' has characters a tag cannot have");
    }
  }
  reference.repository = std::string(rest);
  if (reference.repository.empty()) {
    throw invalid(text, "it names no repository");
  }
  std::size_t start = 0;
  while (start <= reference.repository.size()) {
    auto slash = reference.repository.find('/', start);
    if (slash == std::string::npos) {
      slash = reference.repository.size();
    }
    const std::string component = reference.repository.substr(start, slash - start);
    if (!std::regex_match(component, kComponent)) {
      throw invalid(text, "repository part '" + component +
                              "' must be lower-case letters and digits, separated by . _ or -");
    }
    start = slash + 1;
  }
  if (reference.registry == "docker.io" && reference.repository.find('/') == std::string::npos) {
    reference.repository = "library/" + reference.repository;
  }
  if (reference.tag.empty() && !reference.digest) {
    reference.tag = "latest";
  }
  return reference;
}

std::string ImageReference::manifest_reference() const { return digest ? digest->str() : tag; }

std::string ImageReference::str() const {
  std::string text = name();
  if (!tag.empty()) {
    text += ":" + tag;
  }
  if (digest) {
    text += "@" + digest->str();
  }
  return text;
}

std::string ImageReference::pinned(const Digest& manifest_digest) const {
  return name() + "@" + manifest_digest.str();
}

std::string ImageReference::api_host() const {
  return registry == "docker.io" ? "registry-1.docker.io" : registry;
}

}  // namespace gantry::oci
