#!/usr/bin/env python3
"""A scriptable HTTP/1.1 receiver for tests of outbound delivery (see README.md beside it).

It plays the external system Causeway sends to: answers by rules (status and body per path or per
attempt number, hang, connection reset, slow drip, a gate held until the test opens it), checks
Basic credentials when asked, records every request, and counts connections and overlapping
requests. A small JSON control API under /_receiver/ changes the rules while it runs.

Standard library only. Threaded (one thread per connection), keep-alive, optional TLS.

    receiver.py [--host 127.0.0.1] [--port 0] [--tls-cert PEM --tls-key PEM]
                [--require-basic USER:PASS] [--rule JSON]... [--rules-file FILE] [--verbose]

Prints one JSON line on stdout once it listens: {"port": N, "url": "http://127.0.0.1:N"}.
"""
import argparse
import base64
import json
import select
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CONTROL_PREFIX = "/_receiver/"
GATE_TIMEOUT_S = 60.0  # a gate nobody opens does not hold a request forever
MAX_HANG_S = 600.0


def now():
    return time.time()


class Rule:
    """One rule: when it matches a request, and what the answer is (see README.md)."""

    FIELDS = {"path", "path_prefix", "method", "attempts", "times", "status", "body", "body_size",
              "headers", "delay", "hang", "reset", "drip", "chunked", "gate", "close"}

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ValueError("a rule is a JSON object")
        unknown = set(spec) - self.FIELDS
        if unknown:
            raise ValueError("unknown rule fields: " + ", ".join(sorted(unknown)))
        self.spec = dict(spec)
        self.remaining = spec.get("times")
        drip = spec.get("drip")
        if drip is not None and not isinstance(drip, dict):
            raise ValueError("drip is {\"chunk\": bytes, \"interval\": seconds}")

    def matches(self, method, path, attempt):
        s = self.spec
        if self.remaining is not None and self.remaining <= 0:
            return False
        if "path" in s and s["path"] != path:
            return False
        if "path_prefix" in s and not path.startswith(s["path_prefix"]):
            return False
        if "method" in s and s["method"].upper() != method:
            return False
        if "attempts" in s and attempt not in s["attempts"]:
            return False
        return True

    def use(self):
        if self.remaining is not None:
            self.remaining -= 1

    def to_json(self):
        out = dict(self.spec)
        if self.remaining is not None:
            out["remaining"] = self.remaining
        return out


class State:
    """Everything shared by the connection threads, under one condition variable."""

    def __init__(self, rules, require_basic):
        self.cond = threading.Condition()
        self.initial_rules = rules
        self.initial_basic = require_basic
        self.next_connection = 0
        self.reset()

    def reset(self):
        with self.cond:
            self.rules = [Rule(r) for r in self.initial_rules]
            self.require_basic = self.initial_basic
            self.requests = []
            self.attempts = {}
            self.connections_used = set()
            self.in_flight = 0
            self.max_in_flight = 0
            self.gates = {}
            self.cond.notify_all()

    def gate(self, name):
        with self.cond:
            if name not in self.gates:
                self.gates[name] = threading.Event()
            return self.gates[name]

    def stats(self):
        with self.cond:
            return {"connections": len(self.connections_used), "requests": len(self.requests),
                    "in_flight": self.in_flight, "max_in_flight": self.max_in_flight}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "receiver/1"

    # One per connection: the id recorded with each request, to see keep-alive reuse.
    def setup(self):
        super().setup()
        with self.server.state.cond:
            self.server.state.next_connection += 1
            self.connection_id = self.server.state.next_connection
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()  # in this thread, so a stuck client blocks no one else

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("receiver: %s %s\n" % (self.address_string(), fmt % args))

    # Every method goes through the same path.
    def do_ANY(self):
        parts = urlsplit(self.path)
        body = self.read_body()
        if parts.path.startswith(CONTROL_PREFIX):
            self.control(parts, body)
        else:
            self.receive(parts, body)

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_ANY

    def read_body(self):
        length = self.headers.get("Content-Length")
        if length is not None:
            return self.rfile.read(int(length))
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return b""

    # ---- the receiving side -------------------------------------------------------------------

    def receive(self, parts, body):
        st = self.server.state
        with st.cond:
            attempt = st.attempts.get(parts.path, 0) + 1
            st.attempts[parts.path] = attempt
            authorized = self.authorized(st.require_basic)
            record = {
                "seq": len(st.requests) + 1,
                "method": self.command,
                "target": self.path,
                "path": parts.path,
                "query": parts.query,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", errors="replace"),
                "body_bytes": len(body),
                "arrival": now(),
                "connection": self.connection_id,
                "attempt": attempt,
                "authorized": authorized,
            }
            st.requests.append(record)
            st.connections_used.add(self.connection_id)
            st.in_flight += 1
            st.max_in_flight = max(st.max_in_flight, st.in_flight)
            rule = None
            if authorized:
                for r in st.rules:
                    if r.matches(self.command, parts.path, attempt):
                        r.use()
                        rule = r
                        break
            st.cond.notify_all()
        try:
            if not authorized:
                self.answer(401, b"Unauthorized", {"WWW-Authenticate": 'Basic realm="receiver"'})
            else:
                self.act(rule.spec if rule else {})
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True
        finally:
            with st.cond:
                st.in_flight -= 1
                st.cond.notify_all()

    def authorized(self, require_basic):
        if not require_basic:
            return True
        expected = "Basic " + base64.b64encode(require_basic.encode()).decode()
        return self.headers.get("Authorization", "") == expected

    def act(self, spec):
        if spec.get("gate"):
            self.server.state.gate(spec["gate"]).wait(GATE_TIMEOUT_S)
        if spec.get("delay"):
            time.sleep(float(spec["delay"]))
        if spec.get("hang"):
            self.hang(min(float(spec["hang"]), MAX_HANG_S))
            return
        if spec.get("reset"):
            self.reset_connection()
            return
        if "body_size" in spec:
            body = b"x" * int(spec["body_size"])
        else:
            body = str(spec.get("body", "")).encode()
        headers = dict(spec.get("headers", {}))
        if spec.get("close"):
            headers["Connection"] = "close"
        self.answer(int(spec.get("status", 200)), body, headers, drip=spec.get("drip"),
                    chunked=bool(spec.get("chunked")))

    def hang(self, seconds):
        """Holds the request unanswered, then closes; ends early when the client goes away."""
        deadline = now() + seconds
        while True:
            left = deadline - now()
            if left <= 0:
                break
            readable, _, _ = select.select([self.connection], [], [], left)
            if readable:
                try:
                    if not self.connection.recv(1):
                        break  # the client closed (it gave up)
                except (OSError, ssl.SSLError):
                    break
        self.close_connection = True

    def reset_connection(self):
        """Closes with SO_LINGER 0: the peer sees a TCP RST, not an orderly FIN."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def answer(self, status, body, headers, drip=None, chunked=False):
        self.send_response(status)
        if not any(k.lower() == "content-type" for k in headers):
            self.send_header("Content-Type", "text/plain")
        for k, v in headers.items():
            self.send_header(k, str(v))
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD" or not body:
            if chunked and self.command != "HEAD":
                self.wfile.write(b"0\r\n\r\n")
            return
        step = int(drip.get("chunk", 1)) if drip else len(body)
        interval = float(drip.get("interval", 0.01)) if drip else 0.0
        for i in range(0, len(body), max(step, 1)):
            piece = body[i:i + max(step, 1)]
            if chunked:
                piece = b"%x\r\n%s\r\n" % (len(piece), piece)
            self.wfile.write(piece)
            self.wfile.flush()
            if interval and i + step < len(body):
                time.sleep(interval)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    # ---- the control API ----------------------------------------------------------------------

    def control(self, parts, body):
        st = self.server.state
        name = parts.path[len(CONTROL_PREFIX):].strip("/")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            doc = json.loads(body) if body.strip() else None
        except ValueError as e:
            return self.reply(400, {"error": "body is not JSON: %s" % e})
        method = self.command
        try:
            if name == "requests" and method == "GET":
                with st.cond:
                    rows = [r for r in st.requests if "path" not in query or r["path"] == query["path"]]
                    return self.reply(200, {"requests": rows})
            if name == "requests" and method == "DELETE":
                with st.cond:
                    st.requests = []
                    st.attempts = {}
                    st.connections_used = set()
                    st.max_in_flight = st.in_flight
                return self.reply(200, {})
            if name == "stats" and method == "GET":
                return self.reply(200, st.stats())
            if name == "reset" and method == "POST":
                st.reset()
                return self.reply(200, {})
            if name == "rules":
                if method == "GET":
                    with st.cond:
                        return self.reply(200, {"rules": [r.to_json() for r in st.rules]})
                if method in ("POST", "PUT"):
                    specs = doc if isinstance(doc, list) else [doc]
                    rules = [Rule(s) for s in specs]
                    with st.cond:
                        st.rules = (st.rules if method == "POST" else []) + rules
                    return self.reply(200, {"rules": len(st.rules)})
                if method == "DELETE":
                    with st.cond:
                        st.rules = []
                    return self.reply(200, {})
            if name == "config" and method == "POST":
                with st.cond:
                    if "require_basic" in (doc or {}):
                        st.require_basic = doc["require_basic"]
                return self.reply(200, {})
            if name.startswith("gates/") and method == "POST":
                _, gate, action = (name.split("/") + ["", ""])[:3]
                event = st.gate(gate)
                if action == "open":
                    event.set()
                elif action == "close":
                    event.clear()
                else:
                    return self.reply(404, {"error": "use gates/NAME/open or gates/NAME/close"})
                return self.reply(200, {})
            if name == "wait" and method == "GET":
                return self.wait(query)
        except (ValueError, TypeError, KeyError) as e:
            return self.reply(400, {"error": str(e)})
        return self.reply(404, {"error": "unknown control resource %s %s" % (method, parts.path)})

    def wait(self, query):
        """Long poll: answers when in_flight >= N and/or requests >= M, or 408 after timeout."""
        st = self.server.state
        want_in_flight = int(query.get("in_flight", 0))
        want_requests = int(query.get("requests", 0))
        timeout = float(query.get("timeout", 10))
        with st.cond:
            reached = st.cond.wait_for(
                lambda: st.in_flight >= want_in_flight and len(st.requests) >= want_requests, timeout)
        self.reply(200 if reached else 408, st.stats())

    def reply(self, status, doc):
        self.answer(status, json.dumps(doc).encode(), {"Content-Type": "application/json"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 4096  # hundreds of clients connect at once in the concurrency tests

    def handle_error(self, request, client_address):
        # A client that drops a TLS handshake or a connection is part of what is tested.
        if self.verbose:
            super().handle_error(request, client_address)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--require-basic", metavar="USER:PASS")
    p.add_argument("--rule", action="append", default=[], metavar="JSON")
    p.add_argument("--rules-file")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)

    rules = [json.loads(r) for r in args.rule]
    if args.rules_file:
        with open(args.rules_file, encoding="utf-8") as f:
            loaded = json.load(f)
            rules += loaded if isinstance(loaded, list) else [loaded]
    for r in rules:
        Rule(r)  # fail at start on a bad rule

    server = Server((args.host, args.port), Handler)
    server.state = State(rules, args.require_basic)
    server.verbose = args.verbose
    scheme = "http"
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        scheme = "https"
    port = server.server_address[1]
    print(json.dumps({"port": port, "url": "%s://%s:%d" % (scheme, args.host, port)}), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
