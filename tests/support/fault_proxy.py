#!/usr/bin/python3
"""A fault-injecting HTTP/1.1 proxy on a free loopback port, for gantry's integration tests.

Usage: fault_proxy.py --upstream HOST:PORT --port-file PATH --log PATH --rules JSON|@FILE
                      [--max-seconds S]

Forwards each request to the plain-http upstream, which must be on loopback, and streams
the response back, unless a rule injects a fault. Writes its port to --port-file once it
listens; appends one JSON line per request to --log:
  {"n": 1, "method": "GET", "path": "/v2/", "headers": {"host": ...}, "body_bytes": 0,
   "status": 200, "fault": null}
("status" is what the client was sent, null when it got none; a stalled request is logged
as it starts, with the body bytes read so far: 0). Exits by itself after --max-seconds
(default 600), or as soon as the process that started it is gone.

What the upstream sees differs from what the client sent only in connection-level ways:
one upstream connection per request ("Connection: close"), Expect answered by the proxy
(100 Continue once the body is wanted), a chunked body re-chunked. Responses pass
byte for byte but for the HTTP version (always HTTP/1.1) and the Connection headers.

Rules are a JSON list. Each rule counts the requests it matches; of the rules due on a
request the first in the list applies:
  {"match": "PATCH /v2/", "nth": 2, "action": "status", "status": 500}
"match" is "<METHOD> <path-prefix>" (default "* *"), either part "*" for any; "nth": K
(default 1) applies the rule to the K-th request it matches, "every": true to each. Actions:
  status               "status", "body" (text, or JSON sent as JSON), "headers": answers
                       without forwarding
  redirect             "port", "status" (307): answers with a redirect to
                       http://127.0.0.1:PORT and the same path and query, without forwarding
  close_after          "bytes": forwards, sends that much of the response (status line,
                       headers, body as they came), then closes the connection
  close_request_after  "bytes": closes the connection once that much of the request body
                       came, without forwarding
  stall                "seconds" (3600): sends nothing that long, then closes
  throttle             "bytes_per_second": forwards, sending the response body at that rate
  relocate             "port": forwards, pointing the response's Location (absolute or
                       relative) at http://127.0.0.1:PORT with the same path and query
"""
import argparse
import http.server
import json
import os
import select
import socket
import sys
import threading
import time
from urllib.parse import urljoin, urlsplit

LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1"}
# Headers that describe one connection, not the message (RFC 9110 7.6.1); the proxy speaks
# for itself on both of its connections. Expect is answered here, so it is not passed on.
REQUEST_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer",
                      "upgrade", "expect"}
RESPONSE_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection"}
UPSTREAM_TIMEOUT = 300
BLOCK = 1 << 16

COMMON_KEYS = {"match", "nth", "every", "action"}
# Each action's parameters: name -> (type, required, least value for numbers).
ACTIONS = {
    "status": {"status": (int, True, 100), "body": (object, False, None),
               "headers": (dict, False, None)},
    "redirect": {"port": (int, True, 1), "status": (int, False, 300)},
    "close_after": {"bytes": (int, True, 0)},
    "close_request_after": {"bytes": (int, True, 0)},
    "stall": {"seconds": ((int, float), False, 0)},
    "throttle": {"bytes_per_second": (int, True, 1)},
    "relocate": {"port": (int, True, 1)},
}


class Cut(Exception):
    """The connection to the client ends now, whatever it was sent."""


class Rule:
    """One entry of --rules, with the count of requests it matched so far."""

    def __init__(self, spec, index):
        where = f"rule {index}"
        if not isinstance(spec, dict):
            raise ValueError(f"{where}: not a JSON object")
        action = spec.get("action")
        if action not in ACTIONS:
            raise ValueError(f"{where}: unknown action {action!r} (one of {', '.join(ACTIONS)})")
        params = ACTIONS[action]
        unknown = set(spec) - COMMON_KEYS - set(params)
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)} for action {action}")
        for name, (kind, required, least) in params.items():
            if name not in spec:
                if required:
                    raise ValueError(f"{where}: action {action} needs {name!r}")
                continue
            value = spec[name]
            if kind is object:
                continue
            if isinstance(value, bool) or not isinstance(value, kind):
                kind_name = getattr(kind, "__name__", "number")
                raise ValueError(f"{where}: {name!r} is not a {kind_name}")
            if least is not None and value < least:
                raise ValueError(f"{where}: {name!r} is below {least}")
        match = str(spec.get("match", "* *")).split()
        if len(match) == 1:
            match.append("*")
        if len(match) != 2:
            raise ValueError(f"{where}: match is \"<METHOD> <path-prefix>\", not {spec['match']!r}")
        self.method, self.prefix = match[0].upper(), match[1]
        self.every = spec.get("every", False) is True
        self.nth = spec.get("nth", 1)
        if "nth" in spec and self.every:
            raise ValueError(f"{where}: give \"nth\" or \"every\", not both")
        if not isinstance(self.nth, int) or isinstance(self.nth, bool) or self.nth < 1:
            raise ValueError(f"{where}: nth counts from 1")
        self.action = action
        self.spec = spec
        self.seen = 0

    def matches(self, method, path):
        return self.method in ("*", method) and (self.prefix == "*" or path.startswith(self.prefix))


class Journal:
    """Numbers requests, picks the rule due on each, and appends the log lines."""

    def __init__(self, rules, log_path):
        self.rules = rules
        self.lock = threading.Lock()
        self.count = 0
        self.log = open(log_path, "a", encoding="utf-8")

    def admit(self, method, path):
        """The request's number and the rule that applies to it (or None)."""
        with self.lock:
            self.count += 1
            due = None
            for rule in self.rules:
                if rule.matches(method, path):
                    rule.seen += 1
                    if due is None and (rule.every or rule.seen == rule.nth):
                        due = rule
            return self.count, due

    def record(self, entry):
        line = json.dumps(entry) + "\n"
        with self.lock:
            self.log.write(line)
            self.log.flush()


class RequestBody:
    """The request body as it arrives, by Content-Length or chunked; counts what came."""

    def __init__(self, rfile, headers):
        self.rfile = rfile
        self.received = 0
        self.left = 0  # in the body, or in the current chunk
        encodings = headers.get("Transfer-Encoding")
        self.chunked = encodings is not None
        if self.chunked:
            if encodings.lower().split(",")[-1].strip() != "chunked":
                raise ValueError(f"unsupported Transfer-Encoding {encodings!r}")
            self.finished = False
        else:
            length = headers.get("Content-Length", "0").strip()
            if not length.isdigit():
                raise ValueError(f"bad Content-Length {length!r}")
            self.left = int(length)
            self.finished = self.left == 0

    def read(self, limit=BLOCK):
        """Up to `limit` more bytes of the body, b"" at its end. Cut when the client goes."""
        try:
            if self.finished or limit <= 0:
                return b""
            if self.chunked and self.left == 0:
                line = self.rfile.readline(1024)
                if not line.endswith(b"\n"):
                    raise Cut()
                self.left = int(line.split(b";")[0].strip(), 16)
                if self.left == 0:
                    while self.rfile.readline(8192) not in (b"\r\n", b"\n", b""):
                        pass  # trailer fields: dropped
                    self.finished = True
                    return b""
            data = self.rfile.read1(min(limit, self.left))
            if not data:
                raise Cut()
            self.left -= len(data)
            self.received += len(data)
            if self.left == 0:
                if self.chunked:
                    self.rfile.readline(8)
                else:
                    self.finished = True
            return data
        except (OSError, ValueError) as error:
            raise Cut() from error

    def discard(self):
        while self.read():
            pass


class ClientSink:
    """Writes the response to the client: all of it, its first `budget` bytes, or its body
    paced at `rate` bytes per second."""

    def __init__(self, connection, budget=None, rate=None):
        self.connection = connection
        self.budget = budget
        self.rate = rate
        self.started = None
        self.paced = 0

    def delivers(self, size):
        return self.budget is None or self.budget >= size

    def head(self, data):
        self.send(data)

    def body(self, data):
        if self.rate is None:
            self.send(data)
            return
        step = max(1, self.rate // 20)
        for start in range(0, len(data), step):
            if self.started is None:
                self.started = time.monotonic()
            piece = data[start:start + step]
            self.send(piece)
            self.paced += len(piece)
            delay = self.started + self.paced / self.rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def send(self, data):
        if self.budget is not None:
            if len(data) >= self.budget:
                self.connection.sendall(data[:self.budget])
                self.budget = 0
                raise Cut()
            self.budget -= len(data)
        self.connection.sendall(data)

    def finish(self):
        if self.budget is not None:
            raise Cut()  # the whole response was shorter than the budget: cut after it


def header_name(line):
    return line.split(b":", 1)[0].strip().lower().decode("latin-1")


def read_response_head(reader):
    """(status, status line, header lines) of the upstream's final response."""
    while True:
        status_line = reader.readline(65536)
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
            raise ValueError(f"the upstream sent {status_line[:80]!r}, not a status line")
        lines = []
        while True:
            line = reader.readline(65536)
            if not line.endswith(b"\n"):
                raise ValueError("the upstream closed mid-headers")
            if line in (b"\r\n", b"\n"):
                break
            lines.append(line)
        status = int(parts[1])
        if not 100 <= status < 200:
            return status, status_line, lines


def body_framing(method, status, lines):
    """How the response body ends: ("none"|"length"|"chunked"|"close", length)."""
    if method == "HEAD" or status in (204, 304):
        return "none", 0
    fields = {header_name(line): line.split(b":", 1)[1].strip() for line in lines if b":" in line}
    if "transfer-encoding" in fields:
        last = fields["transfer-encoding"].lower().split(b",")[-1].strip()
        return ("chunked", 0) if last == b"chunked" else ("close", 0)
    if "content-length" in fields:
        return "length", int(fields["content-length"])
    return "close", 0


def relay_exactly(reader, sink, length):
    while length > 0:
        data = reader.read1(min(BLOCK, length))
        if not data:
            raise Cut()  # the upstream closed early: so does the client's connection
        sink.body(data)
        length -= len(data)


def relay_body(reader, sink, framing, length):
    if framing == "length":
        relay_exactly(reader, sink, length)
    elif framing == "chunked":
        while True:
            line = reader.readline(1024)
            if not line.endswith(b"\n"):
                raise Cut()
            sink.body(line)
            size = int(line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:
                    trailer = reader.readline(8192)
                    if not trailer:
                        raise Cut()
                    sink.body(trailer)
                    if trailer in (b"\r\n", b"\n"):
                        return
            relay_exactly(reader, sink, size + 2)
    elif framing == "close":
        while data := reader.read1(BLOCK):
            sink.body(data)


def path_and_query(url):
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 (the base class names it so)
        pass

    def parse_request(self):
        self.continue_pending = False
        return super().parse_request()

    def handle_expect_100(self):
        # Answered once the rule is known: a refusal should not invite the body first.
        self.continue_pending = True
        return True

    def handle_request(self):
        journal = self.server.journal
        number, rule = journal.admit(self.command, self.path)
        headers = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        self.entry = {"n": number, "method": self.command, "path": self.path, "headers": headers,
                      "body_bytes": 0, "status": None, "fault": rule.action if rule else None}
        self.logged = False
        try:
            try:
                self.body = RequestBody(self.rfile, self.headers)
            except ValueError as error:
                self.body = None
                self.close_connection = True
                self.send_error(400, explain=str(error))
                self.log_entry(400)
                return
            getattr(self, "fault_" + (rule.action if rule else "none"))(rule.spec if rule else {})
        except (Cut, OSError):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        finally:
            if not self.logged:
                self.log_entry(None)

    def log_entry(self, status):
        self.entry["status"] = status
        self.entry["body_bytes"] = self.body.received if self.body else 0
        self.server.journal.record(self.entry)
        self.logged = True

    def send_continue(self):
        if self.continue_pending:
            self.continue_pending = False
            self.connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def answer(self, status, headers, body):
        """Answers without forwarding, once the request body is in (or refused)."""
        if self.continue_pending and not self.body.finished:
            self.close_connection = True  # the client waits to send a body it need not send
        else:
            self.body.discard()
        self.log_entry(status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, str(value))
        if status not in (204, 304):
            self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and status not in (204, 304):
            self.wfile.write(body)

    def request_head(self):
        drop = set(REQUEST_HOP_BY_HOP)
        for listed in self.headers.get_all("Connection", []):
            drop.update(name.strip().lower() for name in listed.split(","))
        if self.body.chunked:
            drop.add("content-length")
        lines = [f"{self.command} {self.path} HTTP/1.1\r\n"]
        lines += [f"{name}: {value}\r\n" for name, value in self.headers.items()
                  if name.lower() not in drop]
        # One upstream connection per request: the client's keep-alive is the proxy's own.
        lines.append("Connection: close\r\n\r\n")
        return "".join(lines).encode("latin-1")

    def relocated(self, line, port):
        name, _, value = line.decode("latin-1").partition(":")
        target = path_and_query(urljoin(self.path, value.strip()))
        return f"{name}: http://127.0.0.1:{port}{target}\r\n".encode("latin-1")

    def forward(self, sink, relocate_port=None):
        try:
            upstream = socket.create_connection(self.server.upstream, timeout=UPSTREAM_TIMEOUT)
        except OSError as error:
            self.answer(502, {}, f"fault_proxy: upstream unreachable: {error}\n".encode())
            return
        with upstream:
            self.send_continue()
            try:
                upstream.sendall(self.request_head())
                while piece := self.body.read():
                    if self.body.chunked:
                        piece = b"%x\r\n%b\r\n" % (len(piece), piece)
                    upstream.sendall(piece)
                if self.body.chunked:
                    upstream.sendall(b"0\r\n\r\n")
            except OSError:
                # The upstream answered early and hung up; its answer may still be readable,
                # but the rest of the client's body is not, so its connection ends after it.
                self.close_connection = True
            reader = upstream.makefile("rb")
            try:
                status, status_line, lines = read_response_head(reader)
                framing, length = body_framing(self.command, status, lines)
            except (OSError, ValueError) as error:
                self.answer(502, {}, f"fault_proxy: {error}\n".encode())
                return
            lines = [line for line in lines if header_name(line) not in RESPONSE_HOP_BY_HOP]
            if relocate_port is not None:
                lines = [self.relocated(line, relocate_port) if header_name(line) == "location"
                         else line for line in lines]
            if framing == "close":
                self.close_connection = True
            if self.close_connection:
                lines.append(b"Connection: close\r\n")
            # An intermediary sends its own HTTP version (RFC 9110 6.2): an HTTP/1.0 upstream
            # must not end the client's keep-alive.
            status_line = b"HTTP/1.1" + status_line[status_line.index(b" "):]
            self.log_entry(status if sink.delivers(len(status_line)) else None)
            sink.head(status_line + b"".join(lines) + b"\r\n")
            relay_body(reader, sink, framing, length)
            sink.finish()

    def fault_none(self, spec):
        self.forward(ClientSink(self.connection))

    def fault_status(self, spec):
        body = spec.get("body", "")
        headers = dict(spec.get("headers", {}))
        if not isinstance(body, str):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        elif body:
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        self.answer(spec["status"], headers, body.encode())

    def fault_redirect(self, spec):
        location = f"http://127.0.0.1:{spec['port']}{path_and_query(self.path)}"
        self.answer(spec.get("status", 307), {"Location": location}, b"")

    def fault_close_after(self, spec):
        self.forward(ClientSink(self.connection, budget=spec["bytes"]))

    def fault_close_request_after(self, spec):
        self.send_continue()
        limit = spec["bytes"]
        while self.body.received < limit and self.body.read(limit - self.body.received):
            pass
        self.log_entry(None)
        raise Cut()

    def fault_stall(self, spec):
        self.log_entry(None)
        deadline = time.monotonic() + spec.get("seconds", 3600)
        # Takes in (and drops) whatever the client sends meanwhile; ends early if it hangs up.
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.connection], [], [], left)
            if ready and not self.connection.recv(BLOCK):
                break
        raise Cut()

    def fault_throttle(self, spec):
        self.forward(ClientSink(self.connection, rate=spec["bytes_per_second"]))

    def fault_relocate(self, spec):
        self.forward(ClientSink(self.connection), relocate_port=spec["port"])


for _method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"):
    setattr(Handler, "do_" + _method, Handler.handle_request)


class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 64

    def handle_error(self, request, client_address):
        # A client hanging up is what these tests do; only a bug here deserves a traceback.
        if not isinstance(sys.exc_info()[1], (OSError, Cut)):
            super().handle_error(request, client_address)


def upstream_address(text):
    host, colon, port = text.rpartition(":")
    if not colon:
        raise ValueError(f"upstream {text!r} is not HOST:PORT")
    host = host.strip("[]")
    if host not in LOOPBACK:
        raise ValueError(f"refusing upstream {text!r}: only 127.0.0.1, localhost or ::1, "
                         "as HOST:PORT")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"upstream {text!r} has no valid port")
    return LOOPBACK[host], int(port)


def load_rules(text):
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as f:
            text = f.read()
    try:
        specs = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"--rules is not JSON: {error}") from error
    if not isinstance(specs, list):
        raise ValueError("--rules is a JSON list of rules")
    return [Rule(spec, index) for index, spec in enumerate(specs, 1)]


def watch(max_seconds, parent):
    deadline = time.monotonic() + max_seconds
    while time.monotonic() < deadline and os.getppid() == parent:
        time.sleep(0.5)
    if os.getppid() == parent:
        sys.stderr.write(f"fault_proxy: exiting after --max-seconds {max_seconds}\n")
    os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", required=True, help="HOST:PORT on loopback, plain http")
    parser.add_argument("--port-file", required=True, help="where to write the port")
    parser.add_argument("--log", required=True, help="JSON lines, one per request")
    parser.add_argument("--rules", default="[]", help="a JSON list, or @FILE holding one")
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    try:
        upstream = upstream_address(args.upstream)
        rules = load_rules(args.rules)
    except (ValueError, OSError) as error:
        sys.exit(f"fault_proxy: {error}")

    threading.Thread(target=watch, args=(args.max_seconds, os.getppid()), daemon=True).start()
    server = Server(("127.0.0.1", 0), Handler)
    server.upstream = upstream
    server.journal = Journal(rules, args.log)
    temporary = f"{args.port_file}.tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(f"{server.server_address[1]}\n")
    os.replace(temporary, args.port_file)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
