#include "gantry/deb/release_file.hpp"

#include <charconv>

#include "gantry/deb/control_file.hpp"
#include "gantry/deb/deb_error.hpp"

namespace gantry::deb {

const IndexFileEntry* ReleaseFile::find(const std::string& path) const {
  const auto found = files.find(path);
  return found == files.end() ? nullptr : &found->second;
}

ReleaseFile parse_release(const std::string& text, const std::string& origin) {
  const auto paragraphs = parse_control(text, origin);
  if (paragraphs.empty()) {
    throw DebError(origin + " is empty", "Check the repository: its Release file has no fields.");
  }
  const Paragraph& release = paragraphs.front();
  ReleaseFile result;
  for (const auto word : value_words(release.get("Architectures"))) {
    result.architectures.emplace_back(word);
  }
  for (const auto word : value_words(release.get("Components"))) {
    result.components.emplace_back(word);
  }
  result.acquire_by_hash = release.get("Acquire-By-Hash") == "yes";
  result.all_in_arch_indexes = release.get("No-Support-for-Architecture-all") == "Packages";
  const auto* hashes = release.field("SHA256");
  if (hashes == nullptr) {
    throw DebError(origin + " has no SHA256 hashes",
                   "The repository is too old or broken to be verified; regenerate its "
                   "Release file (apt-ftparchive release).");
  }
  for (const auto line : value_lines(hashes->value)) {
    const auto words = value_words(line);
    if (words.size() != 3) {
      throw DebError(origin + ":" + std::to_string(hashes->line) + ": the SHA256 line '" +
                         std::string(line) + "' is not 'HASH SIZE PATH'",
                     "Regenerate the repository's Release file.");
    }
    IndexFileEntry entry{std::string(words[0]), 0};
    const auto size_text = words[1];
    const auto [end, error] =
        std::from_chars(size_text.data(), size_text.data() + size_text.size(), entry.size);
    if (error != std::errc() || end != size_text.data() + size_text.size() ||
        entry.sha256.size() != 64) {
      throw DebError(origin + ":" + std::to_string(hashes->line) + ": the SHA256 line '" +
                         std::string(line) + "' is malformed",
                     "Regenerate the repository's Release file.");
    }
    result.files[std::string(words[2])] = entry;
  }
  return result;
}

}  // namespace gantry::deb
