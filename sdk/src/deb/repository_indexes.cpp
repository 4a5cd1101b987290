#include "gantry/deb/repository_indexes.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/utsname.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>

#include "file_text.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/archive/libarchive_error.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/release_file.hpp"
#include "gantry/deb/release_signature.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

// Decompresses an index (xz, gzip or none) into `target`, atomically.
void decompress(const fs::path& compressed, const fs::path& target, const std::string& label) {
  std::unique_ptr<struct archive, decltype(&archive_read_free)> reader(archive_read_new(),
                                                                       &archive_read_free);
  archive_read_support_filter_all(reader.get());
  archive_read_support_format_raw(reader.get());
  struct archive_entry* entry = nullptr;
  if (archive_read_open_filename(reader.get(), compressed.c_str(), 1 << 16) != ARCHIVE_OK ||
      archive_read_next_header(reader.get(), &entry) != ARCHIVE_OK) {
    throw DebError(
        "cannot read the index " + label + ": " + archive::libarchive_error(reader.get()),
        "The repository's index is corrupt; try again later.");
  }
  archive::AtomicFile file(target, archive::AtomicFile::Durability::kUnsynced);
  std::array<char, 1 << 17> buffer{};
  while (true) {
    const auto got = archive_read_data(reader.get(), buffer.data(), buffer.size());
    if (got < 0) {
      throw DebError(
          "cannot decompress the index " + label + ": " + archive::libarchive_error(reader.get()),
          "The repository's index is corrupt; try again later.");
    }
    if (got == 0) {
      break;
    }
    file.write({buffer.data(), static_cast<std::size_t>(got)});
  }
  file.commit();
}

// What vouches for a repository's indexes.
enum class ReleaseKind { kInRelease, kRelease, kNone };

struct SourceState {
  const AptSource* source = nullptr;
  fs::path in_release;
  fs::path release;
  fs::path release_gpg;
  ReleaseKind kind = ReleaseKind::kInRelease;
  ReleaseFile release_file;
};

struct IndexFile {
  const AptSource* source = nullptr;
  std::string path;  ///< relative to the Release file, e.g. main/binary-amd64/Packages.xz
  IndexFileEntry entry;
  fs::path cached;  ///< the decompressed index
};

std::string release_text(const SourceState& state, const std::function<bool()>& cancelled) {
  const AptSource& source = *state.source;
  const std::string label = source.label();
  const bool has_in_release = state.kind == ReleaseKind::kInRelease;
  if (source.trusted) {
    return has_in_release ? clearsigned_text(file_text(state.in_release), label)
                          : file_text(state.release);
  }
  TrustedKeys keys{source.keyrings, source.inline_key};
  if (keys.keyrings.empty() && keys.inline_key.empty()) {
    keys.keyrings = default_keyrings();
  }
  return has_in_release ? verify_inline_signed(state.in_release, keys, label, cancelled)
                        : verify_detached(state.release, state.release_gpg, keys, label, cancelled);
}

// Whether apt would refuse an expired Release from `source` (debmetaindex.cc: the
// source's option wins over the configuration; Valid-Until is one of the date checks).
bool checks_valid_until(const AptSource& source, const AptConfig& config) {
  if (!source.check_date.value_or(config.find_bool("Acquire::Check-Date", true))) {
    return false;
  }
  return source.check_valid_until.value_or(config.find_bool("Acquire::Check-Valid-Until", true));
}

// The Packages indexes to read from a repository, without compression suffix.
std::vector<std::string> index_stems(const AptSource& source, const ReleaseFile& release,
                                     const std::string& architecture) {
  if (source.flat()) {
    return {"Packages"};
  }
  std::vector<std::string> stems;
  for (const auto& component : source.components) {
    stems.push_back(component + "/binary-" + architecture + "/Packages");
    // apt reads binary-all only from repositories that list "all" as an architecture.
    const bool lists_all = std::find(release.architectures.begin(), release.architectures.end(),
                                     "all") != release.architectures.end();
    if (lists_all && !release.all_in_arch_indexes) {
      stems.push_back(component + "/binary-all/Packages");
    }
  }
  return stems;
}

// The best compressed variant of `stem` the Release lists.
std::optional<std::pair<std::string, IndexFileEntry>> pick_index(const ReleaseFile& release,
                                                                 const std::string& stem) {
  for (const char* suffix : {".xz", ".gz", ""}) {
    if (const auto* entry = release.find(stem + suffix)) {
      return std::pair{stem + suffix, *entry};
    }
  }
  return std::nullopt;
}

// The Packages of a [trusted=yes] repository without any Release. Nothing names their
// hashes, so they are fetched by URL into `release_dir` (revalidated like Release
// files), trying .xz, .gz, then plain, as apt does; the decompressed copy is named by the
// hash of what was fetched, as those of vouched-for indexes are.
std::vector<IndexFile> fetch_unvouched_indexes(
    const AptSource& source, const std::vector<std::string>& stems, const fs::path& release_dir,
    const fs::path& index_dir, Downloader& downloader,
    const std::function<void(const std::string&)>& warn) {
  std::vector<std::optional<std::string>> found(stems.size());
  const auto cached_copy = [&](const std::string& path) {
    const std::string url = source.release_base() + path;
    return release_dir /
           (net::sha256_of(url).hex().substr(0, 32) + "-" + fs::path(path).filename().string());
  };
  for (const char* suffix : {".xz", ".gz", ""}) {
    std::vector<Download> downloads;
    std::vector<std::size_t> wanted;
    for (std::size_t i = 0; i < stems.size(); ++i) {
      if (!found[i]) {
        const std::string path = stems[i] + suffix;
        downloads.push_back(
            {source.release_base() + path, cached_copy(path), "", std::nullopt, true, true});
        wanted.push_back(i);
      }
    }
    const auto results = downloader.fetch(downloads);
    for (std::size_t k = 0; k < results.size(); ++k) {
      if (results[k].found) {
        found[wanted[k]] = stems[wanted[k]] + suffix;
      }
    }
  }
  std::vector<IndexFile> indexes;
  for (std::size_t i = 0; i < stems.size(); ++i) {
    if (!found[i]) {
      if (!source.flat()) {
        warn(source.label() + " has no " + stems[i] + " (not built for this architecture?)");
      }
      continue;
    }
    const fs::path compressed = cached_copy(*found[i]);
    const std::string bytes = file_text(compressed, "the downloaded index");
    IndexFileEntry entry{net::sha256_of(bytes).hex(), bytes.size()};
    const fs::path cached = index_dir / entry.sha256;
    if (!fs::exists(cached)) {
      decompress(compressed, cached, source.display_base() + *found[i]);
    }
    indexes.push_back({&source, *found[i], entry, cached});
  }
  if (indexes.empty()) {
    throw DebError("there is no repository at " + source.display_base() +
                       ": no InRelease, no Release, and no Packages(.xz, .gz)",
                   source.flat() ? "Check the URI and the directory the suite names: a flat "
                                   "repository needs at least a Packages file there "
                                   "(dpkg-scanpackages . > Packages)."
                                 : "Check the URI, the suite and the components.");
  }
  return indexes;
}

}  // namespace

std::string clearsigned_text(const std::string& in_release, const std::string& label) {
  std::istringstream lines(in_release);
  std::string line;
  std::string text;
  enum class State { kBefore, kHeaders, kBody } state = State::kBefore;
  while (std::getline(lines, line)) {
    if (state == State::kBefore) {
      if (line.starts_with("-----BEGIN PGP SIGNED MESSAGE-----")) {
        state = State::kHeaders;
      }
    } else if (state == State::kHeaders) {
      if (line.empty()) {
        state = State::kBody;
      }
    } else if (line.starts_with("-----BEGIN PGP SIGNATURE-----")) {
      return text;
    } else {
      text += (line.starts_with("- ") ? line.substr(2) : line) + "\n";
    }
  }
  if (state == State::kBefore) {
    return in_release;  // not signed at all
  }
  throw DebError("the InRelease of " + label + " is truncated",
                 "Try again; if it persists, the repository is broken.");
}

std::string native_architecture() {
  struct utsname name {};
  ::uname(&name);
  std::string machine = name.machine;
  if (machine == "x86_64") {
    return "amd64";
  }
  if (machine == "aarch64") {
    return "arm64";
  }
  if (machine.starts_with("armv7") || machine.starts_with("armv8l")) {
    return "armhf";
  }
  if (machine == "ppc64le") {
    return "ppc64el";
  }
  if (machine.starts_with("i") && machine.ends_with("86")) {
    return "i386";
  }
  return machine;  // s390x, riscv64 are spelled the same
}

PackageIndex load_package_index(const std::vector<AptSource>& sources,
                                const std::string& architecture, const fs::path& cache_dir,
                                Downloader& downloader,
                                const std::function<void(const std::string&)>& warn) {
  return load_package_index(sources, architecture, cache_dir, downloader, warn, load_apt_config());
}

PackageIndex load_package_index(const std::vector<AptSource>& sources,
                                const std::string& architecture, const fs::path& cache_dir,
                                Downloader& downloader,
                                const std::function<void(const std::string&)>& warn,
                                const AptConfig& apt_config) {
  const fs::path release_dir = cache_dir / "release";
  const fs::path index_dir = cache_dir / "indexes";
  fs::create_directories(release_dir);
  fs::create_directories(index_dir);

  std::vector<SourceState> states;
  for (const auto& source : sources) {
    if (!source.architectures.empty() &&
        std::find(source.architectures.begin(), source.architectures.end(), architecture) ==
            source.architectures.end()) {
      continue;
    }
    SourceState state;
    state.source = &source;
    const std::string key = net::sha256_of(source.release_base()).hex().substr(0, 32);
    state.in_release = release_dir / (key + "-InRelease");
    state.release = release_dir / (key + "-Release");
    state.release_gpg = release_dir / (key + "-Release.gpg");
    states.push_back(std::move(state));
  }

  // InRelease first, for every source at once; then Release + Release.gpg where missing.
  std::vector<Download> in_releases;
  in_releases.reserve(states.size());
  for (const auto& state : states) {
    in_releases.push_back({state.source->release_base() + "InRelease", state.in_release, "",
                           std::nullopt, true, true});
  }
  const auto found = downloader.fetch(in_releases);
  std::vector<Download> releases;
  std::vector<std::size_t> without_in_release;
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!found[i].found) {
      without_in_release.push_back(i);
      const auto& state = states[i];
      releases.push_back(
          {state.source->release_base() + "Release", state.release, "", std::nullopt, true, true});
      releases.push_back({state.source->release_base() + "Release.gpg", state.release_gpg, "",
                          std::nullopt, true, true});
    }
  }
  const auto release_results = downloader.fetch(releases);
  for (std::size_t i = 0; i < without_in_release.size(); ++i) {
    auto& state = states[without_in_release[i]];
    const bool trusted = state.source->trusted;
    if (!release_results[2 * i].found) {
      // apt reads a repository without any Release only when told to trust it.
      if (!trusted) {
        throw DebError(
            "the repository " + state.source->label() +
                " has no Release file (no InRelease, no Release), so nothing vouches for its "
                "Packages",
            "Check the URI and the suite. If they are right, publish a signed Release for it "
            "(apt-ftparchive release; gpg --clearsign), or mark it [trusted=yes] if you trust "
            "every byte served from it (apt refuses it too).");
      }
      state.kind = ReleaseKind::kNone;
      continue;
    }
    state.kind = ReleaseKind::kRelease;
    if (!release_results[2 * i + 1].found && !trusted) {
      throw DebError("the repository " + state.source->label() +
                         " is not signed (no InRelease, no Release.gpg)",
                     "Sign it, or mark it [trusted=yes] if you trust every byte served from "
                     "it (apt refuses unsigned repositories too).");
    }
  }

  // Signatures are checked by one gpgv per repository, all at once. Valid-Until is checked
  // here, when the Release is used, so that a cached Release that has expired since it was
  // fetched is refused too.
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::vector<std::future<ReleaseFile>> releases_checked;
  for (const auto& state : states) {
    if (state.kind == ReleaseKind::kNone) {
      releases_checked.emplace_back();
      continue;
    }
    releases_checked.push_back(std::async(std::launch::async, [&state, &apt_config, &downloader,
                                                               now] {
      const std::string origin = state.source->display_base() +
                                 (state.kind == ReleaseKind::kInRelease ? "InRelease" : "Release");
      auto release = parse_release(release_text(state, downloader.cancelled()), origin);
      if (checks_valid_until(*state.source, apt_config)) {
        check_not_expired(release, origin, now);
      }
      return release;
    }));
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (releases_checked[i].valid()) {
      states[i].release_file = releases_checked[i].get();
    }
  }
  std::vector<IndexFile> indexes;
  for (const auto& state : states) {
    const auto& release = state.release_file;
    const auto stems = index_stems(*state.source, release, architecture);
    if (state.kind == ReleaseKind::kNone) {
      auto unvouched =
          fetch_unvouched_indexes(*state.source, stems, release_dir, index_dir, downloader, warn);
      indexes.insert(indexes.end(), unvouched.begin(), unvouched.end());
      continue;
    }
    for (const auto& stem : stems) {
      const auto picked = pick_index(release, stem);
      if (!picked) {
        if (!stem.ends_with("binary-all/Packages")) {
          warn(state.source->label() + " has no " + stem + " (not built for " + architecture +
               "?)");
        }
        continue;
      }
      const auto& [path, entry] = *picked;
      indexes.push_back({state.source, path, entry, index_dir / entry.sha256});
    }
  }

  // Compressed indexes land in a directory of this run's own, so that gantry processes
  // sharing the cache never read each other's half-written files.
  const sdk::TemporaryDirectory downloading(".downloading-", index_dir);
  std::vector<Download> index_downloads;
  std::vector<const IndexFile*> to_decompress;
  std::vector<std::string> plain_urls;
  for (const auto& index : indexes) {
    if (fs::exists(index.cached)) {
      continue;
    }
    const auto& release = *std::find_if(states.begin(), states.end(),
                                        [&](const auto& s) { return s.source == index.source; });
    // By hash when the repository offers it: immune to a mirror updating mid-run.
    const std::string plain = index.source->release_base() + index.path;
    const bool by_hash = release.release_file.acquire_by_hash;
    const std::string url = by_hash ? index.source->release_base() +
                                          fs::path(index.path).parent_path().string() +
                                          "/by-hash/SHA256/" + index.entry.sha256
                                    : plain;
    index_downloads.push_back({url, downloading.path() / index.entry.sha256, index.entry.sha256,
                               index.entry.size, by_hash, false});
    plain_urls.push_back(plain);
    to_decompress.push_back(&index);
  }
  const auto fetched = downloader.fetch(index_downloads);
  std::vector<Download> fallbacks;
  for (std::size_t i = 0; i < fetched.size(); ++i) {
    if (!fetched[i].found) {
      auto fallback = index_downloads[i];
      fallback.url = plain_urls[i];
      fallback.optional = false;
      fallbacks.push_back(fallback);
    }
  }
  downloader.fetch(fallbacks);
  for (const auto* index : to_decompress) {
    if (!fs::exists(index->cached)) {  // another gantry sharing the cache may have made it
      decompress(downloading.path() / index->entry.sha256, index->cached,
                 index->source->display_base() + index->path);
    }
  }

  PackageIndex package_index(architecture);
  for (const auto& index : indexes) {
    package_index.add_file(index.cached, index.source->uri,
                           index.source->display_base() + index.path);
  }
  return package_index;
}

}  // namespace gantry::deb
