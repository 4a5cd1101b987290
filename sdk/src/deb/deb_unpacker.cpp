#include "gantry/deb/deb_unpacker.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <array>
#include <memory>

#include "gantry/archive/libarchive_error.hpp"
#include "gantry/deb/deb_error.hpp"

namespace gantry::deb {
namespace {

using ArchivePtr = std::unique_ptr<struct archive, decltype(&archive_read_free)>;

[[noreturn]] void not_a_deb(const std::string& label, const std::string& why) {
  throw DebError(label + " is not a valid .deb: " + why,
                 "The file is corrupt or not a Debian package; download it again or check "
                 "the repository.");
}

/// A string field of an entry; libarchive returns NULL for a field the archive left out
/// (a member without a name, a symbolic link without a target).
std::string entry_text(const char* text, const std::string& label, const char* what) {
  if (text == nullptr) {
    not_a_deb(label, std::string("an entry has no ") + what);
  }
  return text;
}

// Feeds the inner data.tar from the outer ar archive's current member.
struct MemberReader {
  struct archive* outer;
  std::array<char, 1 << 16> buffer{};
};

la_ssize_t read_member(struct archive* /*inner*/, void* data, const void** block) {
  auto* reader = static_cast<MemberReader*>(data);
  *block = reader->buffer.data();
  return archive_read_data(reader->outer, reader->buffer.data(), reader->buffer.size());
}

std::size_t unpack_data(struct archive* outer, StagingTree& tree, const std::string& label) {
  ArchivePtr inner(archive_read_new(), &archive_read_free);
  archive_read_support_format_tar(inner.get());
  archive_read_support_format_gnutar(inner.get());
  archive_read_support_filter_all(inner.get());
  MemberReader reader{outer};
  if (archive_read_open(inner.get(), &reader, nullptr, &read_member, nullptr) != ARCHIVE_OK) {
    not_a_deb(label, "its data member cannot be read: " + archive::libarchive_error(inner.get()));
  }
  std::size_t count = 0;
  struct archive_entry* entry = nullptr;
  while (true) {
    const int status = archive_read_next_header(inner.get(), &entry);
    if (status == ARCHIVE_EOF) {
      break;
    }
    if (status < ARCHIVE_WARN) {
      not_a_deb(label, "its data member is damaged: " + archive::libarchive_error(inner.get()));
    }
    const std::string name = entry_text(archive_entry_pathname(entry), label, "name");
    const auto mode = static_cast<std::uint32_t>(archive_entry_perm(entry));
    const std::int64_t mtime = archive_entry_mtime(entry);
    if (const char* hardlink = archive_entry_hardlink(entry)) {
      tree.add_hardlink(name, hardlink);
    } else {
      switch (archive_entry_filetype(entry)) {
        case AE_IFDIR:
          tree.add_directory(name, mode);
          break;
        case AE_IFREG:
          tree.add_file(name, mode, mtime, [&](const auto& write) {
            std::array<char, 1 << 16> buffer{};
            while (true) {
              const auto got = archive_read_data(inner.get(), buffer.data(), buffer.size());
              if (got < 0) {
                not_a_deb(label,
                          "cannot read " + name + ": " + archive::libarchive_error(inner.get()));
              }
              if (got == 0) {
                break;
              }
              write({buffer.data(), static_cast<std::size_t>(got)});
            }
          });
          break;
        case AE_IFLNK:
          tree.add_symlink(name, entry_text(archive_entry_symlink(entry), label, "link target"),
                           mtime);
          break;
        default:
          // Device nodes, fifos and sockets: an unprivileged unpack cannot make them (nor
          // does dpkg-deb -x as a user); say so, as the image will lack them.
          tree.report_skipped(name, archive_entry_filetype(entry) == AE_IFIFO    ? "fifo"
                                    : archive_entry_filetype(entry) == AE_IFSOCK ? "socket"
                                                                                 : "device node");
          continue;
      }
    }
    ++count;
  }
  return count;
}

}  // namespace

std::size_t unpack_deb(const std::filesystem::path& deb, StagingTree& tree,
                       const std::string& label) {
  ArchivePtr outer(archive_read_new(), &archive_read_free);
  archive_read_support_format_ar(outer.get());
  if (archive_read_open_filename(outer.get(), deb.c_str(), 1 << 16) != ARCHIVE_OK) {
    not_a_deb(label, archive::libarchive_error(outer.get()));
  }
  struct archive_entry* entry = nullptr;
  bool saw_version = false;
  while (true) {
    const int status = archive_read_next_header(outer.get(), &entry);
    if (status == ARCHIVE_EOF) {
      break;
    }
    if (status < ARCHIVE_WARN) {
      not_a_deb(label, archive::libarchive_error(outer.get()));
    }
    const std::string member = entry_text(archive_entry_pathname(entry), label, "name");
    if (member == "debian-binary") {
      std::array<char, 16> version{};
      const auto got = archive_read_data(outer.get(), version.data(), version.size());
      if (got < 4 || std::string_view(version.data(), 2) != "2.") {
        not_a_deb(label, "its format version is not 2.x");
      }
      saw_version = true;
    } else if (member.starts_with("data.tar")) {
      if (!saw_version) {
        not_a_deb(label, "debian-binary does not come first");
      }
      return unpack_data(outer.get(), tree, label);
    }
  }
  not_a_deb(label, saw_version ? "it has no data.tar member" : "it is not an ar archive");
}

}  // namespace gantry::deb
