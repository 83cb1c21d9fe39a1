"""A same-origin proxy for browser and app clients (UI5, CAP): forwards requests to Causeway with
every header as it came (Host included) and records each exchange, so that tests can name the
bytes a client sent and what came back; optionally serves static folders beside it, the way UI5
tooling serves an app in development."""
import http.client
import http.server
import mimetypes
import os
import threading

# Connection-level headers a proxy does not forward (RFC 9110 §7.6.1); every other header passes.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


def text_of(body):
    return body.decode("utf-8", errors="replace") if body else ""


def header(headers, name):
    """The first value of `name` in a recorded header list, whatever the case the client wrote."""
    return next((v for k, v in headers if k.lower() == name), None)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        path = self.path.split("?", 1)[0]
        for prefix, root in self.server.static:
            if path.startswith(prefix):
                return self.serve_file(root, path[len(prefix):])
        return self.forward()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_MERGE = do_DELETE = do_OPTIONS = handle_any

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request_headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=60)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for k, v in request_headers:
                upstream.putheader(k, v)
            upstream.endheaders(body if length else None)
            response = upstream.getresponse()
            data = response.read()
            response_headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
            status, reason = response.status, response.reason
        finally:
            upstream.close()
        self.server.record({"method": self.command, "path": self.path, "request_headers": request_headers,
                            "request_body": text_of(body), "status": status, "response_headers": response_headers,
                            "response_body": text_of(data), "client": self.server.client})
        self.send_response_only(status, reason)
        for k, v in response_headers:
            self.send_header(k, v)
        if self.command != "HEAD" and status not in (204, 304) and \
                not any(k.lower() == "content-length" for k, _ in response_headers):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def serve_file(self, root, relative):
        file = os.path.realpath(os.path.join(root, relative))
        if file.startswith(os.path.realpath(root) + os.sep) and os.path.isfile(file):
            with open(file, "rb") as f:
                data = f.read()
            kind = mimetypes.guess_type(file)[0] or "application/octet-stream"
            status, kind = 200, kind + ("; charset=utf-8" if kind.startswith(("text/", "application/javascript")) else "")
        else:
            status, kind, data = 404, "text/plain", b"not found"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


class RecordingProxy(http.server.ThreadingHTTPServer):
    """`static`: (path prefix, folder) pairs served from disk; everything else goes to Causeway.
    Each recorded exchange carries `client`, whatever the test set it to before that client ran."""
    daemon_threads = True

    def __init__(self, upstream_port, static=()):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream_port, self.static, self.client = upstream_port, list(static), None
        self.exchanges, self.lock = [], threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, exchange):
        with self.lock:
            self.exchanges.append(exchange)

    def close(self):
        self.shutdown()
        self.server_close()
