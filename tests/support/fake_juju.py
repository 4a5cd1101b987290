#!/usr/bin/python3
"""A recording stand-in for the `juju` client, for gantry's tests (juju has no Debian package).

Everything lives in $FAKE_JUJU_DIR:
  calls.jsonl          every invocation's arguments, one JSON list per line (appended)
  COMMAND.json         what `juju COMMAND ... --format=json` prints (status, resources)
  COMMAND-1.json, -2…  a sequence instead: each call prints the next, the last repeats
  COMMAND.fail         makes `juju COMMAND` print this text on stderr and exit 1
The command is the first argument; `-m MODEL` may come anywhere, as juju allows.
"""
import glob
import json
import os
import sys

state = os.environ["FAKE_JUJU_DIR"]
args = sys.argv[1:]
with open(os.path.join(state, "calls.jsonl"), "a") as calls:
    calls.write(json.dumps(args) + "\n")
command = args[0] if args else ""

failure = os.path.join(state, command + ".fail")
if os.path.exists(failure):
    with open(failure) as f:
        sys.stderr.write(f.read())
    sys.exit(1)


def answer(name):
    sequence = sorted(glob.glob(os.path.join(state, name + "-*.json")),
                      key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0]))
    if sequence:
        counter = os.path.join(state, name + ".count")
        seen = int(open(counter).read()) if os.path.exists(counter) else 0
        with open(counter, "w") as f:
            f.write(str(seen + 1))
        path = sequence[min(seen, len(sequence) - 1)]
    else:
        path = os.path.join(state, name + ".json")
    with open(path) as f:
        sys.stdout.write(f.read())


if command in ("status", "resources"):
    answer(command)
elif command == "refresh":
    application = args[1] if len(args) > 1 else "?"
    if "--path" in args:
        print(f'Added local charm "{application}", revision 4, to the model')
    elif "--resource" in args and "--channel" not in args and "--revision" not in args:
        print(f"Updated resources of {application}")
    else:
        print(f'Added charm-hub charm "{application}", revision 12, to the model')
else:
    sys.stderr.write(f'ERROR juju: "{command}" is not a juju command. See "juju --help".\n')
    sys.exit(2)
