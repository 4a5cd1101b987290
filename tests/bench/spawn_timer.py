#!/usr/bin/python3
"""Times a short command: RUNS spawns (posix_spawn, output to /dev/null), clock read just
before the spawn and just after the wait, so that nothing but the command is measured
(the shell's `date` before and after cost ~2-5 ms on a small VM, more than the command
it was timing). Prints the median and the fastest run in milliseconds.

Usage: spawn_timer.py RUNS COMMAND [ARG...]
"""
import os
import statistics
import sys
import time


def main() -> int:
    runs = int(sys.argv[1])
    command = sys.argv[2:]
    devnull = os.open(os.devnull, os.O_WRONLY)
    redirect = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        pid = os.posix_spawn(command[0], command, os.environ, file_actions=redirect)
        _, status = os.waitpid(pid, 0)
        times.append((time.perf_counter() - start) * 1000)
        if os.waitstatus_to_exitcode(status) != 0:
            print(f"{' '.join(command)} exited with {os.waitstatus_to_exitcode(status)}",
                  file=sys.stderr)
            return 1
    print(f"{statistics.median(times):.2f} {min(times):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
