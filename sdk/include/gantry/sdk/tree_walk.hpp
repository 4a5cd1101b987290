#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <functional>
#include <string>

namespace gantry::sdk {

/// Called with an entry's name relative to the walked root ('/'-separated) and what lstat
/// says of it; returns false to leave a directory's contents out.
using TreeVisitor = std::function<bool(const std::string& name, const struct stat& status)>;

/// What walk_tree finds out of each entry: everything lstat says, or only its kind (the
/// S_IFMT bits of st_mode, from the directory listing itself: one system call less per
/// entry, for a walk that wants names).
enum class TreeDetail { kStatus, kKind };

/// Visits every entry below `root` (not `root` itself), each directory before what it
/// holds, in the order the directories list them (callers sort). Symlinks are reported,
/// never followed. Each directory is read through its descriptor (openat, fstatat), so no
/// full path is built or resolved per entry. An entry that vanishes during the walk is
/// skipped. Throws gantry::Error naming what cannot be read: a listing is never cut short
/// in silence.
void walk_tree(const std::filesystem::path& root, const TreeVisitor& visit,
               TreeDetail detail = TreeDetail::kStatus);

}  // namespace gantry::sdk
