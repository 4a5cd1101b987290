#include "http_probe.hpp"

namespace gantry::testing {

CommandResult wait_for_http(const std::string& url) {
  return run_command({.argv = {"/usr/bin/python3", "-c",
                               "import sys,time,urllib.request\n"
                               "for _ in range(60):\n"
                               "  try:\n"
                               "    print(urllib.request.urlopen(sys.argv[1], timeout=2).read()"
                               ".decode()); sys.exit(0)\n"
                               "  except Exception as e:\n"
                               "    time.sleep(0.5)\n"
                               "sys.exit(1)\n",
                               url}});
}

}  // namespace gantry::testing
