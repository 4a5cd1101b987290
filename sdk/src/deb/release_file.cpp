#include "gantry/deb/release_file.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "gantry/deb/control_file.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/deb/field_grammar.hpp"

namespace gantry::deb {
namespace {

// `text` as a number of `min_digits` to `max_digits` decimal digits.
std::optional<int> digits_value(std::string_view text, std::size_t min_digits,
                                std::size_t max_digits) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.size() < min_digits ||
      text.size() > max_digits || !std::isdigit(static_cast<unsigned char>(text.front()))) {
    return std::nullopt;
  }
  return value;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

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
  result.date = std::string(release.get("Date"));
  result.valid_until = std::string(release.get("Valid-Until"));
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
        !is_lower_hex(entry.sha256, 64) || !is_relative_file_name(words[2])) {
      throw DebError(origin + ":" + std::to_string(hashes->line) + ": the SHA256 line '" +
                         std::string(line) + "' is malformed",
                     "Regenerate the repository's Release file.");
    }
    result.files[std::string(words[2])] = entry;
  }
  return result;
}

std::optional<std::chrono::sys_seconds> parse_release_date(std::string_view text) {
  using namespace std::chrono;
  const auto words = value_words(text);
  if (words.size() != 6) {
    return std::nullopt;
  }
  // "Sat, 01 Jan 2000 00:00:00 UTC". apt checks the weekday only superficially (it is
  // not compared with the date) and accepts a zone only when it is UTC.
  constexpr std::array<std::string_view, 7> kWeekdays{"sun", "mon", "tue", "wed",
                                                      "thu", "fri", "sat"};
  const auto weekday = words[0];
  if (weekday.size() != 4 || weekday[3] != ',' ||
      std::none_of(kWeekdays.begin(), kWeekdays.end(),
                   [&](auto name) { return equal_ignoring_case(weekday.substr(0, 3), name); })) {
    return std::nullopt;
  }
  constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                     "jul", "aug", "sep", "oct", "nov", "dec"};
  const auto month = std::find_if(kMonths.begin(), kMonths.end(),
                                  [&](auto name) { return equal_ignoring_case(words[2], name); });
  const auto day_number = digits_value(words[1], 1, 2);
  const auto year_number = digits_value(words[3], 4, 4);
  const auto clock = words[4];
  if (month == kMonths.end() || !day_number || !year_number || clock.size() != 8 ||
      clock[2] != ':' || clock[5] != ':') {
    return std::nullopt;
  }
  const auto hour = digits_value(clock.substr(0, 2), 2, 2);
  const auto minute = digits_value(clock.substr(3, 2), 2, 2);
  const auto second = digits_value(clock.substr(6, 2), 2, 2);
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 60) {
    return std::nullopt;
  }
  const auto zone = words[5];
  if (zone != "UTC" && zone != "GMT" && zone != "Z" && zone != "+0000" && zone != "-0000") {
    return std::nullopt;
  }
  const year_month_day date{year{*year_number},
                            std::chrono::month{static_cast<unsigned>(month - kMonths.begin() + 1)},
                            day{static_cast<unsigned>(*day_number)}};
  if (!date.ok()) {
    return std::nullopt;
  }
  return sys_days{date} + hours{*hour} + minutes{*minute} + seconds{*second};
}

std::string apt_duration(std::chrono::seconds duration) {
  const long long total = std::max<long long>(duration.count(), 0);
  const auto seconds = std::to_string(total % 60) + "s";
  const auto minutes = std::to_string(total / 60 % 60) + "min " + seconds;
  const auto hours = std::to_string(total / 3600 % 24) + "h " + minutes;
  // apt's TimeToStr: strictly more than a day shows days, and so on down.
  if (total > 86400) {
    return std::to_string(total / 86400) + "d " + hours;
  }
  if (total > 3600) {
    return std::to_string(total / 3600) + "h " + minutes;
  }
  if (total > 60) {
    return std::to_string(total / 60) + "min " + seconds;
  }
  return std::to_string(total) + "s";
}

void check_not_expired(const ReleaseFile& release, const std::string& url,
                       std::chrono::sys_seconds now) {
  if (release.valid_until.empty()) {
    return;
  }
  const auto valid_until = parse_release_date(release.valid_until);
  if (!valid_until) {
    throw DebError(
        "the Release file for " + url + " has an invalid Valid-Until '" + release.valid_until + "'",
        "Regenerate the Release file (apt-ftparchive writes dates like 'Sat, 01 Jan "
        "2000 00:00:00 UTC'); if you trust the repository as it is, set "
        "check-valid-until=no on the source.");
  }
  if (now <= *valid_until) {
    return;
  }
  // apt: "Release file for URL is expired (invalid since 1d 2h 3min 4s). Updates for this
  // repository will not be applied."
  throw DebError(
      "the Release file for " + url + " is expired (invalid since " +
          apt_duration(now - *valid_until) + "; Valid-Until: " + release.valid_until +
          (release.date.empty() ? "" : ", Date: " + release.date) +
          "). Nothing from this repository is used",
      "The mirror is stale, or is replaying old indexes to hold back updates: use an "
      "up-to-date mirror (or wait for this one to sync) and check this machine's clock. If "
      "you trust the repository as it is (e.g. a snapshot), set [check-valid-until=no] on "
      "the source (deb822: 'Check-Valid-Until: no'), or Acquire::Check-Valid-Until \"false\"; "
      "in an apt.conf.d file.");
}

}  // namespace gantry::deb
