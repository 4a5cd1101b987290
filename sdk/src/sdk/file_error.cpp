#include "gantry/sdk/file_error.hpp"

#include <cerrno>

namespace gantry::sdk {

std::string file_error_resolution(int error_number) {
  switch (error_number) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return "Free some disk space, or write elsewhere.";
    case EACCES:
    case EPERM:
      return "Check that the files and directories named are yours to read and write.";
    case EROFS:
      return "The file system is read-only: write elsewhere.";
    case EIO:
      return "The disk reported an input/output error: check that it has free space and "
             "is healthy (dmesg says more).";
    case EMFILE:
    case ENFILE:
      return "Too many files are open: raise the limit (ulimit -n) or run fewer jobs.";
    default:
      return "";
  }
}

}  // namespace gantry::sdk
