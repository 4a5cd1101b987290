#!/usr/bin/env python3
"""The flask-app charm, with the standard library only.

Juju runs `dispatch`, which runs this file with JUJU_DISPATCH_PATH naming the event. On
every event the charm pushes a Pebble layer for the app to the workload container and
asks Pebble to replan: that starts gunicorn, or restarts it when the token changed.
"""
import http.client
import json
import os
import socket
import subprocess
import sys

CONTAINER = "flask-app"
SOCKET = f"/charm/containers/{CONTAINER}/pebble.socket"


class PebbleConnection(http.client.HTTPConnection):
    """HTTP over the unix socket Juju mounts for the workload's Pebble."""

    def __init__(self, path: str):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def pebble(method: str, url: str, body: dict) -> dict:
    connection = PebbleConnection(SOCKET)
    connection.request(method, url, json.dumps(body), {"Content-Type": "application/json"})
    answer = json.loads(connection.getresponse().read() or b"{}")
    if answer.get("type") == "error":
        raise RuntimeError(answer.get("result", {}).get("message", "pebble error"))
    return answer


def hook_tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout.strip()


def layer(token: str) -> str:
    command = "/usr/bin/python3 -m gunicorn --chdir /flask/app app:app --bind 0.0.0.0:8000"
    return json.dumps({
        "summary": "flask-app",
        "services": {
            "flask": {
                "override": "replace",
                "command": command,
                "startup": "enabled",
                "environment": {"FLASK_TOKEN": token},
            }
        },
    })


def main() -> int:
    event = os.path.basename(os.environ.get("JUJU_DISPATCH_PATH", "hooks/unknown"))
    if not os.path.exists(SOCKET):
        hook_tool("status-set", "waiting", "waiting for the flask-app container")
        return 0
    token = json.loads(hook_tool("config-get", "--format=json")).get("token", "")
    try:
        pebble("POST", "/v1/layers",
               {"action": "add", "label": "flask-app", "combine": True, "format": "yaml",
                "layer": layer(token)})
        pebble("POST", "/v1/services", {"action": "replan", "services": []})
    except (OSError, RuntimeError) as error:
        hook_tool("status-set", "waiting", f"pebble is not ready ({error})")
        return 0
    hook_tool("juju-log", f"{event}: flask-app configured")
    hook_tool("status-set", "active", "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
