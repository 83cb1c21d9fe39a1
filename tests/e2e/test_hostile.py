"""Hostile input against the real server, one category at a time (issue 9): framing, slow clients,
auth garbage, OData garbage, large and many bodies, SOAP garbage.

Every case records what came back. After each category the process must still run, health must
answer 200, and no 5xx may have been answered except deliberate ones: a Gateway 501
`/IWBEP/CM_MGW_RT/021` (documented "not implemented"), the framing layer's 501 for a transfer
coding it does not implement, SOAP faults (HTTP 500 by protocol). Every error answer with an
OData content type must be a Gateway error body in the format the request negotiated.

At the end of the run the table (cases, 2xx, 4xx, 5xx, no answer, timeouts, crashes, RSS before
and after, per category) is printed in Markdown and written to $CAUSEWAY_HOSTILE_REPORT when that
is set. Raw sockets wherever the bytes matter; the standard library only.
"""
import base64
import collections
import http.client
import json
import os
import random
import re
import select
import socket
import ssl
import sys
import threading
import time
import unittest
import xml.etree.ElementTree as ET
import zlib
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from harness import SERVICE, Server, basic, cookie_from, header

REQUEST_TIMEOUT_MS = 1500
SOAP_PATH = "/sap/bc/srt/scs/sap/managetaskactivityin"
REALM = 'Basic realm="SAP NetWeaver Application Server [CWY/100]"'
META = "{http://schemas.microsoft.com/ado/2007/08/dataservices/metadata}"
MIB = 1024 * 1024
SMUGGLED = b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\n\r\n"

EXTRA_USERS = """
[[users]]
name = "TASK_SYNC"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_TASK_ACTIVITY"]

[[users]]
name = "HOSTILE_AUTH"
kind = "communication"
password = "Welcome1!"
scenarios = ["SAP_COM_0064"]

[[users]]
name = "HOSTILE_LOCK"
kind = "communication"
password = "Welcome1!"
scenarios = ["SAP_COM_0064"]
"""
EXTRA_CONFIG = """
[task_activity]
demo_master_data = true
"""

# ---------------------------------------------------------------------------------------------
# The table


class Tally:
    """What one category's cases got back. Thread-safe (slow clients run concurrently)."""

    def __init__(self, name):
        self.name = name
        self.cases = 0
        self.classes = collections.Counter()  # "2xx", "4xx", "5xx", "none" (closed, no answer)
        self.deliberate_5xx = 0
        self.timeouts = 0
        self.crashes = 0
        self.rss_before = self.rss_after = None
        self.notes = []
        self.lock = threading.Lock()

    def add(self, status, timed_out=False, deliberate=False):
        with self.lock:
            self.cases += 1
            self.timeouts += bool(timed_out)
            self.classes["none" if status is None else f"{status // 100}xx"] += 1
            if status is not None and status >= 500 and deliberate:
                self.deliberate_5xx += 1


ORDER = ["framing", "slow clients", "auth garbage", "OData garbage", "large bodies", "SOAP garbage"]
RESULTS = {}


def mib(n):
    return "–" if n is None else f"{n / MIB:.1f} MiB"


def table():
    rows = ["| category | cases | 2xx | 4xx | 5xx (deliberate) | no answer | timeouts | crashes | RSS before | RSS after |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in ORDER:
        t = RESULTS.get(name)
        if not t:
            continue
        c = t.classes
        rows.append(f"| {name} | {t.cases} | {c['2xx']} | {c['4xx']} | {c['5xx']} ({t.deliberate_5xx}) | {c['none']} "
                    f"| {t.timeouts} | {t.crashes} | {mib(t.rss_before)} | {mib(t.rss_after)} |")
    notes = [f"- {t.name}: {n}" for name in ORDER if (t := RESULTS.get(name)) for n in t.notes]
    return "\n".join(rows + ([""] + notes if notes else [])) + "\n"


def tearDownModule():
    if not RESULTS:
        return
    text = table()
    sys.stdout.write("\n" + text)
    sys.stdout.flush()
    if os.environ.get("CAUSEWAY_HOSTILE_REPORT"):
        with open(os.environ["CAUSEWAY_HOSTILE_REPORT"], "w") as f:
            f.write(text)


# ---------------------------------------------------------------------------------------------
# Raw HTTP


def connect(port, timeout, tls=False):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    if tls:
        s = ssl._create_unverified_context().wrap_socket(s)
    return s


def read_all(s):
    """Reads until the peer closes: (bytes, closed, timed_out)."""
    out = b""
    while True:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            return out, False, True
        except OSError:  # reset: closed as well
            return out, True, False
        if not chunk:
            return out, True, False
        out += chunk


def exchange(port, data, timeout=8.0, half_close=False, tls=False):
    """Sends `data` on a new connection and reads until the server closes it. With `half_close`
    our side says it has sent everything, so a server that keeps the connection alive closes
    it after answering instead of waiting for more. Returns (bytes, closed, timed_out)."""
    s = connect(port, timeout, tls)
    try:
        try:
            s.sendall(data)
            if half_close:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may answer (413, 431, 401) and stop reading before we are done
        return read_all(s)
    finally:
        s.close()


STATUS_LINE = re.compile(rb"HTTP/1\.[01] (\d{3})(?: [^\r\n]*)?")


def parse_head(block):
    lines = block.split(b"\r\n")
    m = STATUS_LINE.fullmatch(lines[0])
    if not m:
        return None, None
    hdrs = []
    for line in lines[1:]:
        k, _, v = line.partition(b":")
        hdrs.append((k.strip().lower().decode("latin-1"), v.strip().decode("latin-1")))
    return int(m.group(1)), hdrs


def parse_responses(data, head_indexes=()):
    """Splits a byte stream into complete responses [(status, headers, body)] and the rest that
    is not one. `head_indexes`: positions of answers to HEAD requests (no body)."""
    out, pos = [], 0
    while pos < len(data):
        end = data.find(b"\r\n\r\n", pos)
        if end < 0:
            break
        status, hdrs = parse_head(data[pos:end])
        if status is None:
            break
        start = end + 4
        if 100 <= status < 200:
            pos = start
            continue
        if len(out) in head_indexes or status in (204, 304):
            body, nxt = b"", start
        elif "chunked" in (header(hdrs, "transfer-encoding") or "").lower():
            body, nxt = b"", start
            while True:
                eol = data.find(b"\r\n", nxt)
                if eol < 0:
                    return out, data[pos:]
                size = int(data[nxt:eol].split(b";")[0], 16)
                if size == 0:
                    nxt = data.find(b"\r\n\r\n", eol) + 4 if data[eol + 2:eol + 4] != b"\r\n" else eol + 4
                    break
                body += data[eol + 2:eol + 2 + size]
                nxt = eol + 2 + size + 2
        else:
            n = int(header(hdrs, "content-length") or 0)
            if start + n > len(data):
                break
            body, nxt = data[start:start + n], start + n
        out.append((status, hdrs, body))
        pos = nxt
    return out, data[pos:]


def http_request(method, target, headers=(), body=b"", version="HTTP/1.1", host="127.0.0.1"):
    lines = [f"{method} {target} {version}", f"Host: {host}"] + [f"{k}: {v}" for k, v in headers]
    head = "\r\n".join(lines).encode("latin-1") + b"\r\n"
    if body:
        head += f"Content-Length: {len(body)}\r\n".encode()
    return head + b"\r\n" + body


# ---------------------------------------------------------------------------------------------
# Gateway error bodies


def media_type(headers):
    return (header(headers, "content-type") or "").split(";")[0].strip().lower()


ODATA_MEDIA = ("application/json", "application/xml", "application/atom+xml", "application/atomsvc+xml")


def gateway_code(headers, body):
    mt = media_type(headers)
    try:
        if mt == "application/json":
            return json.loads(body)["error"]["code"]
        if mt == "application/xml":
            return ET.fromstring(body).findtext(META + "code")
    except (ValueError, KeyError, TypeError, ET.ParseError):
        return None
    return None


def gateway_error_problem(headers, body, fmt):
    """None if `body` is a Gateway error (JSON: error.code, error.message.value; XML: <error>
    with <code> and <message>) in `fmt` ('json', 'xml', or None for either)."""
    mt = media_type(headers)
    if mt in ("application/json", "application/xml"):
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as e:
            return (f"error body is not UTF-8 (byte {body[e.start:e.start + 1]!r} at {e.start}): "
                    f"{body[max(0, e.start - 80):e.start + 20]!r}")
    if mt == "application/json":
        if fmt == "xml":
            return f"JSON error where XML was negotiated: {body[:200]!r}"
        try:
            err = json.loads(body)["error"]
            ok = isinstance(err["code"], str) and err["code"] and isinstance(err["message"]["value"], str)
        except (ValueError, KeyError, TypeError):
            ok = False
        return None if ok else f"not a Gateway JSON error: {body[:300]!r}"
    if mt == "application/xml":
        if fmt == "json":
            return f"XML error where JSON was negotiated: {body[:200]!r}"
        try:
            root = ET.fromstring(body)
        except ET.ParseError as e:
            return f"error body is not XML ({e}): {body[:200]!r}"
        if root.tag != META + "error" or not root.findtext(META + "code") or root.find(META + "message") is None:
            return f"not a Gateway XML error: {body[:300]!r}"
        return None
    return f"content type {mt!r} is not a Gateway error format: {body[:200]!r}"


def judge_odata(status, headers, body, fmt, plain_404=False):
    """(problem or None, deliberate 5xx) for one OData answer (outer or a $batch part).
    `plain_404`: the path names no service, so the router's plain 404 is the answer."""
    problem = None
    if status >= 400:
        if media_type(headers) in ODATA_MEDIA:
            problem = gateway_error_problem(headers, body, fmt)
        elif status == 401 and (header(headers, "www-authenticate") or "").startswith(REALM.split("[")[0] + "[CWY/"):
            pass  # the logon page (also for another sap-client, where this session does not exist)
        elif plain_404 and status == 404 and media_type(headers) == "text/plain":
            pass
        elif status == 403 and header(headers, "x-csrf-token") == "Required":
            pass
        else:
            problem = f"{status} {media_type(headers)!r} is not a Gateway error: {body[:200]!r}"
    deliberate = status == 501 and gateway_code(headers, body) == "/IWBEP/CM_MGW_RT/021"
    return problem, deliberate


def multipart_parts(content_type, body):
    """The inner responses of a multipart/mixed answer, change sets flattened, in order."""
    m = re.search(r'boundary=("?)([^";]+)\1', content_type or "")
    if not m:
        raise ValueError(f"no boundary in {content_type!r}")
    out = []
    segments = body.split(b"--" + m.group(2).encode())
    for seg in segments[1:]:
        if seg.startswith(b"--"):
            break
        head, _, rest = seg.lstrip(b"\r\n").partition(b"\r\n\r\n")
        part_type = ""
        for line in head.split(b"\r\n"):
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-type":
                part_type = v.strip().decode("latin-1")
        if part_type.lower().startswith("multipart/mixed"):
            out.extend(multipart_parts(part_type, rest))
        else:
            responses, _ = parse_responses(rest)
            if not responses:
                raise ValueError(f"part without a response: {rest[:200]!r}")
            out.append(responses[0])
    return out


def batch_body(parts, boundary="batch_hostile"):
    """A $batch body: each part is an inner request text (application/http) or a list of them
    (a change set)."""
    out = ""
    for i, p in enumerate(parts):
        out += f"--{boundary}\r\n"
        if isinstance(p, list):
            cs = f"changeset_{i}"
            out += f"Content-Type: multipart/mixed; boundary={cs}\r\n\r\n"
            for q in p:
                out += (f"--{cs}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
                        f"{q}\r\n")
            out += f"--{cs}--\r\n"
        else:
            out += f"Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n{p}\r\n"
    return (out + f"--{boundary}--\r\n").encode()


SOAP_FAULT = re.compile(rb"<(soap-env|env):Fault>")


def deliberate_5xx(status, headers, body):
    """The 5xx answers the server means: documented Gateway 501, framing 501, SOAP faults."""
    if status == 501 and (gateway_code(headers, body) == "/IWBEP/CM_MGW_RT/021"
                          or body == b"Transfer coding not implemented"):
        return True
    return status == 500 and bool(SOAP_FAULT.search(body))


# ---------------------------------------------------------------------------------------------


class Category(unittest.TestCase):
    """A category runs its cases, records each in its Tally, and closes with the liveness check."""

    server = None

    def open_category(self, name, server=None):
        self.srv = server or self.server
        self.tally = Tally(name)
        RESULTS[name] = self.tally
        self.tally.rss_before = self.srv.rss_bytes()

    def record(self, case, status, problem=None, timed_out=False, deliberate=None, headers=None, body=b""):
        """Counts one case; fails it (as a subTest, so the run goes on) for `problem`, a
        client-side timeout or a 5xx the server did not mean."""
        if deliberate is None:
            deliberate = status is not None and deliberate_5xx(status, headers or [], body)
        self.tally.add(status, timed_out, deliberate)
        problems = [problem] if problem else []
        if timed_out:
            problems.append("no answer before the client's timeout")
        if status is not None and status >= 500 and not deliberate:
            problems.append(f"unexpected {status}: {body[:300]!r}")
        if problems:
            with self.subTest(case=case):
                self.fail("; ".join(problems))

    def close_category(self):
        t = self.tally
        if self.srv.proc.poll() is not None:
            t.crashes += 1
            code = self.srv.proc.returncode
            log = self.srv.read_log()[-3000:]
            self.srv.restart()  # so that the categories after this one still run
            self.fail(f"{t.name}: the server died (exit {code}); log tail:\n{log}")
        st, _, body = self.srv.request("GET", "/_causeway/health")
        t.rss_after = self.srv.rss_bytes()
        self.assertEqual(st, 200, body)
        self.assertEqual(json.loads(body)["status"], "ok")

    def odata_session(self, server, user="JOB_ADMIN", password="Welcome1!"):
        st, h, _ = server.request("HEAD", SERVICE, {"Authorization": basic(user, password), "X-CSRF-Token": "Fetch"})
        self.assertEqual(st, 200)
        return header(h, "x-csrf-token"), cookie_from(h, "SAP_SESSIONID_CWY_100=")


class Hostile(Category):
    """Categories 1–4 and 6 on one server (harness limits: 16 KiB header, 1 MiB body)."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(request_timeout_ms=REQUEST_TIMEOUT_MS, extra_users=EXTRA_USERS, extra_config=EXTRA_CONFIG)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    # -- 1. framing ---------------------------------------------------------------------------

    def test_1_framing(self):
        self.open_category("framing")
        try:
            self.framing_refusals()
            self.framing_garbage()
            self.framing_limits()
            self.framing_tolerated()
            self.framing_pipelines()
        finally:
            self.close_category()

    def expect_one_and_close(self, case, data, status, tls=False):
        """Exactly one answer with `status`, then the server closes the connection (so a
        request hidden in the body is never answered)."""
        out, closed, timed_out = exchange(self.srv.port if not tls else self.srv.tls_port, data, timeout=6, tls=tls)
        responses, rest = parse_responses(out)
        got = responses[0][0] if responses else None
        problem = None
        if len(responses) != 1 or rest:
            problem = f"{len(responses)} answers (+{len(rest)} bytes) where one {status} was due: {out[:400]!r}"
        elif got != status:
            problem = f"{got} where {status} was due: {out[:300]!r}"
        elif not closed:
            problem = "connection left open"
        hdrs, body = (responses[0][1], responses[0][2]) if responses else ([], b"")
        self.record(case, got, problem, timed_out and not responses, headers=hdrs, body=body)

    def framing_refusals(self):
        auth = ("Authorization", basic("JOB_ADMIN", "Welcome1!"))
        te_cases = [  # (name, header lines, expected status)
            ("TE gzip", ["Transfer-Encoding: gzip"], 400),
            ("TE identity", ["Transfer-Encoding: identity"], 400),
            ("TE xchunked", ["Transfer-Encoding: xchunked"], 400),
            ("TE chunkedx", ["Transfer-Encoding: chunkedx"], 400),
            ("TE chunked, gzip", ["Transfer-Encoding: chunked, gzip"], 400),
            ("TE chunked, chunked", ["Transfer-Encoding: chunked, chunked"], 400),
            ("TE chunked,chunked", ["Transfer-Encoding: chunked,chunked"], 400),
            ("TE chunked, identity", ["Transfer-Encoding: chunked, identity"], 400),
            ("TE empty", ["Transfer-Encoding: "], 400),
            ("TE comma", ["Transfer-Encoding: ,"], 400),
            ("TE gzip, chunked", ["Transfer-Encoding: gzip, chunked"], 501),
            ("TE deflate, chunked", ["Transfer-Encoding: deflate, chunked"], 501),
            ("TE GZIP, Chunked", ["Transfer-Encoding: GZIP, Chunked"], 501),
            ("two TE lines chunked/chunked", ["Transfer-Encoding: chunked", "Transfer-Encoding: chunked"], 400),
            ("two TE lines chunked/gzip", ["Transfer-Encoding: chunked", "Transfer-Encoding: gzip"], 400),
            ("two TE lines gzip/chunked", ["Transfer-Encoding: gzip", "Transfer-Encoding: chunked"], 501),
            ("TE + CL", ["Transfer-Encoding: chunked", "Content-Length: 5"], 400),
            ("CL + TE", ["Content-Length: 5", "Transfer-Encoding: chunked"], 400),
            ("TE name with space", ["Transfer-Encoding : chunked"], 400),
            ("TE name with tab", ["Transfer-Encoding\t: chunked"], 400),
            ("CL name with space", ["Content-Length : 5"], 400),
            ("folded TE", ["Transfer-Encoding: gzip,", " chunked"], 400),
            ("folded header (space)", ["X-Fold: a", " b", "Content-Length: 0"], 400),
            ("folded header (tab)", ["X-Fold: a", "\tb", "Content-Length: 0"], 400),
            ("CL conflicting duplicates", ["Content-Length: 5", "Content-Length: 6"], 400),
        ]
        for value in ["abc", "-1", "+5", "0x10", "5 5", "5,5", "5, 6", "1e3", "", " ", "5;x", "\t-0", "٣"]:
            te_cases.append((f"CL {value!r}", [f"Content-Length: {value}"], 400))
        bodies = {"smuggled GET": SMUGGLED, "chunk-terminated smuggled GET": b"0\r\n\r\n" + SMUGGLED}
        targets = {"health": ("/_causeway/health", []), "service $batch": (SERVICE + "$batch", [auth])}
        for name, lines, status in te_cases:
            for tname, (target, extra) in targets.items():
                for bname, body in bodies.items():
                    head = [f"POST {target} HTTP/1.1", "Host: x"] + [f"{k}: {v}" for k, v in extra] + lines
                    data = ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + body
                    self.expect_one_and_close(f"{name} / {tname} / {bname}", data, status)
        # Transfer-Encoding is not HTTP/1.0.
        self.expect_one_and_close("TE in HTTP/1.0", b"POST /_causeway/health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  b"0\r\n\r\n" + SMUGGLED, 400)
        # The case the issue names: the body is a complete GET; exactly one answer comes back.
        self.expect_one_and_close("POST health, TE gzip, GET as body",
                                  b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + SMUGGLED,
                                  400)
        # A good request first, then a refused one on the same connection: two answers, closed.
        out, closed, timed_out = exchange(self.srv.port, SMUGGLED + b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\n"
                                          b"Transfer-Encoding: identity\r\n\r\n" + SMUGGLED, timeout=6)
        responses, rest = parse_responses(out)
        statuses = [r[0] for r in responses]
        self.record("good, then TE identity with smuggled GET", statuses[-1] if statuses else None,
                    None if statuses == [200, 400] and closed and not rest else f"answers {statuses}, closed {closed}",
                    timed_out and not responses)

    def framing_garbage(self):
        port = self.srv.port
        fixed = {
            "bare method": b"GET\r\n\r\n",
            "HTTP/0.9 line": b"GET /\r\n\r\n",
            "extra token": b"GET / HTTP/1.1 x\r\nHost: x\r\n\r\n",
            "double space": b"GET  /_causeway/health HTTP/1.1\r\nHost: x\r\n\r\n",
            "HTTP/2.0": b"GET / HTTP/2.0\r\nHost: x\r\n\r\n",
            "HTTP/1.10": b"GET / HTTP/1.10\r\nHost: x\r\n\r\n",
            "HTTP/9.9 with binary method": b"BLAH\x00\x01 / HTTP/9.9\r\n\r\n",
            "h2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "TLS hello on plain port": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)) + b"\r\n\r\n",
            "NUL in method": b"G\x00T /_causeway/health HTTP/1.1\r\nHost: x\r\n\r\n",
            "NUL in target": b"GET /_causeway/\x00health HTTP/1.1\r\nHost: x\r\n\r\n",
            "NUL in header name": b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nX-\x00: a\r\n\r\n",
            "NUL in header value": b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
            "DEL in header value": b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nX-A: \x7f\r\n\r\n",
            "header without colon": b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
            "space in header name": b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n",
            "empty header name": b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\n: v\r\n\r\n",
            "CR only": b"GET /_causeway/health HTTP/1.1\rHost: x\r\r",
            "only CRLFs": b"\r\n\r\n\r\n\r\n",
            "non-ASCII target": b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
            "space in target": b"GET /_causeway/ health HTTP/1.1\r\nHost: x\r\n\r\n",
            "asterisk target": b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
            "authority target": b"CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: x\r\n\r\n",
            "lower-case method": b"get /_causeway/health HTTP/1.1\r\nHost: x\r\n\r\n",
            "huge method": b"X" * 4000 + b" / HTTP/1.1\r\nHost: x\r\n\r\n",
            # RFC 9112 §3.2: 400 for an invalid Host and for more than one (the Host ends up in
            # xml:base and WSDL addresses).
            "markup in Host": b"GET /_causeway/health HTTP/1.1\r\nHost: a\"><b\r\n\r\n",
            "user info in Host": b"GET /_causeway/health HTTP/1.1\r\nHost: u@x\r\n\r\n",
            "two Host lines": b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
        }
        # Well-formed enough to reach the router (which may answer 404/405) or tolerated by the parser.
        LENIENT = {"double space", "lower-case method", "only CRLFs", "CR only", "asterisk target", "authority target",
                   "HTTP/1.10", "non-ASCII target", "huge method"}
        cases = list(fixed.items())
        rnd = random.Random(9)
        for i in range(40):
            cases.append((f"random bytes #{i}", bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 300))) + b"\r\n\r\n"))
        valid = b"GET /_causeway/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\nX-Trace: abcdef\r\n\r\n"
        for i in range(60):
            b = bytearray(valid[:-4])
            for _ in range(rnd.randint(1, 6)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
            cases.append((f"mutated request #{i}", bytes(b) + b"\r\n\r\n"))

        def run(item):
            name, data = item
            return name, data, exchange(port, data, timeout=6, half_close=True)

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(run, cases))
        for name, data, (out, closed, timed_out) in results:
            responses, rest = parse_responses(out)
            status = responses[0][0] if responses else None
            problem = None
            if out and not responses:
                problem = f"answer is not HTTP: {out[:200]!r}"
            elif any(r[0] >= 500 for r in responses):
                bad = [r for r in responses if r[0] >= 500][0]
                status, problem = bad[0], f"5xx for {data[:120]!r}: {bad[2][:200]!r}"
            elif name in fixed and name not in LENIENT and status != 400:
                problem = f"{status} where 400 was due: {out[:200]!r}"
            self.record(name, status, problem, timed_out)

    def framing_limits(self):
        port = self.srv.port
        auth = "Authorization: " + basic("JOB_ADMIN", "Welcome1!")
        cases = [
            ("40 KB header", b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 40000 + b"\r\n\r\n", 431),
            ("2000 headers", b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\n" + b"X-H: 0123456789\r\n" * 2000 + b"\r\n", 431),
            ("20 KB request line", b"GET /_causeway/health?" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 431),
            ("17 KB cookie", b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nCookie: a=" + b"b" * 17000 + b"\r\n\r\n", 431),
            ("header block without end", b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\n" + b"X: y\r\n" * 4000, 431),
            ("CL 2 MiB to health", b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n"
             + b"x" * 1200000, 413),
            ("CL 1 MiB + 1 to health", b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n"
             + b"x" * 1048577, 413),
            ("CL 5 MB to $batch, authenticated", f"POST {SERVICE}$batch HTTP/1.1\r\nHost: x\r\n{auth}\r\n"
             "Content-Type: multipart/mixed; boundary=b\r\nContent-Length: 5000000\r\n\r\n".encode() + b"x" * 2000000, 413),
            ("chunked 1.2 MiB to health", b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
             + (b"10000\r\n" + b"x" * 65536 + b"\r\n") * 20 + b"0\r\n\r\n", 413),
            ("CL 99999999999999999999999", b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\n"
             b"Content-Length: 99999999999999999999999\r\n\r\n", 400),
        ]
        for name, data, status in cases:
            self.expect_one_and_close(name, data, status)
        # Without credentials the head is refused before the body counts: 401, or 413 when the
        # declared length alone is over the limit. Either way nothing is buffered.
        out, closed, timed_out = exchange(port, f"POST {SERVICE}$batch HTTP/1.1\r\nHost: x\r\n"
                                          "Content-Length: 5000000\r\n\r\n".encode() + b"x" * 300000, timeout=6)
        responses, _ = parse_responses(out)
        got = responses[0][0] if responses else None
        self.record("CL 5 MB unauthenticated to $batch", got,
                    None if got in (401, 413) and closed and len(responses) == 1 else f"{got}, closed {closed}: {out[:200]!r}",
                    timed_out and not responses)

    def framing_tolerated(self):
        port = self.srv.port
        auth = basic("JOB_ADMIN", "Welcome1!").encode()
        host = f"127.0.0.1:{port}".encode()
        cases = [  # (name, bytes, expected status); all with Connection: close
            ("bare LF", b"GET /_causeway/health HTTP/1.1\nHost: x\nConnection: close\n\n", 200),
            ("CR CR LF", b"GET /_causeway/health HTTP/1.1\r\r\nHost: x\r\r\nConnection: close\r\r\n\r\n", 200),
            ("mixed line ends", b"GET /_causeway/health HTTP/1.1\r\nHost: x\nConnection: close\r\r\n\n", 200),
            ("bare LF, authenticated service", b"GET " + SERVICE.encode() + b" HTTP/1.1\nHost: x\nAuthorization: " + auth
             + b"\nConnection: close\n\n", 200),
            ("CR CR LF token fetch (IBP curl)", b"HEAD " + SERVICE.encode() + b" HTTP/1.1\r\nHost: x\r\nAuthorization: "
             + auth + b"\r\nx-csrf-token:  Fetch\r\r\nConnection: close\r\n\r\n", 200),
            ("leading CRLF", b"\r\nGET /_causeway/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", None),
            ("HTTP/1.0 without Host", b"GET /_causeway/health HTTP/1.0\r\n\r\n", 200),
            ("header block just under the limit", b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 15000
             + b"\r\nConnection: close\r\n\r\n", 200),
            ("CL identical duplicates", b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
             b"Content-Length: 5\r\nConnection: close\r\n\r\nhello", (400, 405)),
        ]
        for name, data, status in cases:
            out, closed, timed_out = exchange(port, data, timeout=6)
            responses, rest = parse_responses(out, head_indexes=(0,) if data.startswith(b"HEAD") else ())
            got = responses[0][0] if responses else None
            problem = None
            if len(responses) != 1 or rest:
                problem = f"{len(responses)} answers: {out[:300]!r}"
            elif status is not None and got not in (status if isinstance(status, tuple) else (status,)):
                problem = f"{got} where {status} was due: {out[:300]!r}"
            elif name.startswith("CR CR LF token") and not header(responses[0][1], "x-csrf-token"):
                problem = "no CSRF token fetched"
            self.record(name, got, problem, timed_out, body=responses[0][2] if responses else b"")

        # Absolute-form targets are served like the origin form (the host comes from the target).
        origin_headers = [("Authorization", basic("JOB_ADMIN", "Welcome1!")), ("Connection", "close")]
        for path in ["/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/", SERVICE + "$metadata",
                     SERVICE + "JobStatusInfoSet('A')?$format=json", "/_causeway/health"]:
            want, _, _ = exchange(port, http_request("GET", path, origin_headers, host=host.decode()), timeout=6)
            want_r, _ = parse_responses(want)
            for scheme in ("http", "HTTP", "https"):
                for userinfo in ("", "user@"):
                    target = f"{scheme}://{userinfo}127.0.0.1:{port}{path}"
                    got, closed, timed_out = exchange(port, http_request("GET", target, origin_headers, host="elsewhere"),
                                                      timeout=6)
                    got_r, _ = parse_responses(got)
                    problem = None
                    if not got_r or not want_r:
                        problem = f"no answer: {got[:200]!r}"
                    elif got_r[0][0] != want_r[0][0]:
                        problem = f"{got_r[0][0]} where the origin form got {want_r[0][0]}"
                    elif path != "/_causeway/health" and got_r[0][2] != want_r[0][2]:
                        problem = f"body differs from the origin form's: {got_r[0][2][:200]!r}"
                    self.record(f"absolute form {target}", got_r[0][0] if got_r else None, problem, timed_out)
        for target in [f"http://127.0.0.1:{port}", f"http://127.0.0.1:{port}?x=1", "ftp://127.0.0.1/_causeway/health",
                       "http:///_causeway/health", "http://[::1/_causeway/health"]:
            got, closed, timed_out = exchange(port, http_request("GET", target, [("Connection", "close")]), timeout=6)
            got_r, _ = parse_responses(got)
            self.record(f"odd absolute form {target}", got_r[0][0] if got_r else None,
                        None if got_r else f"no answer: {got[:200]!r}", timed_out,
                        headers=got_r[0][1] if got_r else None, body=got_r[0][2] if got_r else b"")

    def framing_pipelines(self):
        port = self.srv.port
        token, cookie = self.odata_session(self.srv)
        st, _, body = self.srv.request("GET", SERVICE + "JobStatusInfoSet?$format=json", {"Cookie": cookie})
        keys = [e["JobStatus"] for e in json.loads(body)["d"]["results"]]
        self.assertGreater(len(keys), 3)
        for round_ in range(3):
            reqs, expect, heads = [], [], []
            for i in range(24):
                k = keys[(i + round_) % len(keys)]
                if i % 6 == 5:
                    reqs.append(http_request("GET", "/_causeway/health"))
                    expect.append((200, b'"status":"ok"'))
                elif i % 7 == 3:
                    reqs.append(http_request("HEAD", SERVICE, [("Cookie", cookie)]))
                    expect.append((200, b""))
                    heads.append(i)
                elif i % 11 == 4:
                    reqs.append(http_request("GET", SERVICE + "JobStatusInfoSet('Q')?$format=json", [("Cookie", cookie)]))
                    expect.append((404, b"/IWBEP/CM_MGW_RT/020"))
                else:
                    reqs.append(http_request("GET", SERVICE + f"JobStatusInfoSet('{k}')?$format=json", [("Cookie", cookie)]))
                    expect.append((200, f'"JobStatus":"{k}"'.encode()))
            reqs.append(http_request("GET", "/_causeway/health", [("Connection", "close")]))
            expect.append((200, b'"status":"ok"'))
            out, closed, timed_out = exchange(port, b"".join(reqs), timeout=10)
            responses, rest = parse_responses(out, head_indexes=heads)
            for i, (status, marker) in enumerate(expect):
                got = responses[i] if i < len(responses) else None
                problem = None
                if got is None:
                    problem = f"answer {i} missing ({len(responses)} of {len(expect)})"
                elif got[0] != status or marker not in got[2]:
                    problem = f"answer {i} out of order or wrong: {got[0]} {got[2][:120]!r}, expected {status} {marker!r}"
                self.record(f"pipeline {round_} #{i}", got[0] if got else None, problem, timed_out and got is None)
        # A refused request inside a pipeline: everything before it answered, nothing after it.
        bad = b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"
        out, closed, timed_out = exchange(port, SMUGGLED * 3 + bad + SMUGGLED * 3, timeout=6)
        responses, rest = parse_responses(out)
        statuses = [r[0] for r in responses]
        self.record("pipeline with a refused request in the middle", statuses[-1] if statuses else None,
                    None if statuses == [200, 200, 200, 400] and closed else f"answers {statuses}, closed {closed}",
                    timed_out)
        # TLS: plain text to the TLS port is dropped; garbage inside TLS is a 400.
        out, closed, timed_out = exchange(self.srv.tls_port, SMUGGLED, timeout=6)
        self.record("plain HTTP to the TLS port", None, None if closed and not parse_responses(out)[0] else
                    f"answered {out[:100]!r}", timed_out)
        self.expect_one_and_close("garbage request line over TLS", b"\x01\x02 garbage\r\n\r\n", 400, tls=True)
        self.expect_one_and_close("TE gzip over TLS", b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\n"
                                  b"Transfer-Encoding: gzip\r\n\r\n" + SMUGGLED, 400, tls=True)

    # -- 2. slow clients ----------------------------------------------------------------------

    def test_2_slow_clients(self):
        self.open_category("slow clients")
        try:
            self.slow_clients()
        finally:
            self.close_category()

    def drip(self, port, head, drip, interval=0.1, tls=False):
        """Sends `head`, then `drip` one byte per `interval` until the server answers. Returns
        (bytes, seconds from the first byte to the answer, whether the drip was complete)."""
        s = connect(port, 15, tls)
        t0 = time.monotonic()
        answered_at = None
        complete = True
        try:
            s.sendall(head)
            for i in range(len(drip)):
                readable, _, _ = select.select([s], [], [], interval)
                if readable:
                    complete = False
                    break
                try:
                    s.sendall(drip[i:i + 1])
                except OSError:
                    complete = False
                    break
            first = b""
            try:
                first = s.recv(65536)
            except OSError:
                pass
            answered_at = time.monotonic() - t0
            rest, _, _ = read_all(s)
            return first + rest, answered_at, complete
        finally:
            s.close()

    def slow_clients(self):
        port = self.srv.port
        timeout_s = REQUEST_TIMEOUT_MS / 1000
        token, cookie = self.odata_session(self.srv)
        auth = basic("JOB_ADMIN", "Welcome1!")
        # Each drip would take 40 × 0.1 s = 4 s > 2.7 × the request timeout: a 408 before it
        # ends is the server's doing.
        drip_header = b"X-Drip: " + b"a" * 60 + b"\r\n\r\n"
        cancel = SERVICE + "JobCancel?JobName='00000000000000000000000000000000'&JobRunCount='00000000'"
        cases = {
            "request-line drip": (b"", b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\n\r\n" + b" " * 20, 408),
            "header drip, health": (b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\n", drip_header, 408),
            "header drip, authenticated service": (f"GET {SERVICE} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n".encode(),
                                                   drip_header, 408),
            "header drip after a good request": (SMUGGLED + b"GET /_causeway/health HTTP/1.1\r\n", drip_header, 408),
            "body drip, health": (b"POST /_causeway/health HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n", b"x" * 100, 408),
            "body drip, authenticated OData POST": (
                f"POST {cancel} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nX-CSRF-Token: {token}\r\n"
                "Content-Length: 100\r\n\r\n".encode(), b"x" * 100, 408),
            "chunked body drip, authenticated OData POST": (
                f"POST {cancel} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nX-CSRF-Token: {token}\r\n"
                "Transfer-Encoding: chunked\r\n\r\n".encode(), b"1\r\nx\r\n" * 20, 408),
            "body drip, SOAP": (f"POST {SOAP_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: {basic('TASK_SYNC', 'Welcome1!')}\r\n"
                                "Content-Type: text/xml\r\nContent-Length: 100\r\n\r\n".encode(), b"<" * 100, 408),
            "body drip, unauthenticated service (refused on the head)": (
                f"POST {SERVICE}$batch HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n".encode(), b"x" * 100, 401),
            "header drip over TLS": (b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\n", drip_header, 408),
        }
        # Idle and half-open connections held while the drips run.
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(200)]
        partial = []
        for i in range(50):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /_causeway/health HTTP/1.1\r\nHost: x\r\nX-Partial: %d\r\n" % i)
            partial.append(s)
        results = {}

        def run(name):
            head, drip, _ = cases[name]
            results[name] = self.drip(self.srv.tls_port if "TLS" in name else port, head, drip, tls="TLS" in name)

        threads = [threading.Thread(target=run, args=(n,)) for n in cases]
        for t in threads:
            t.start()
        # A TLS handshake that never finishes and a reader that never reads are dropped too.
        half_hello = connect(self.srv.tls_port, 15)
        half_hello.sendall(b"\x16\x03\x01\x02\x00\x01")
        slow_reader = socket.socket()
        slow_reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        slow_reader.connect(("127.0.0.1", port))
        n_meta = 400
        slow_reader.sendall(http_request("GET", SERVICE + "$metadata", [("Cookie", cookie)]) * n_meta)
        # Meanwhile everybody else is served.
        for i in range(20):
            st, _, body = self.srv.request("GET", "/_causeway/health")
            self.record(f"health while {len(idle) + len(partial)} connections dangle #{i}", st,
                        None if st == 200 else f"{st}", body=body)
        for i in range(5):
            st, _, body = self.srv.request("GET", SERVICE + "JobStatusInfoSet?$format=json", {"Cookie": cookie})
            self.record(f"OData read while connections dangle #{i}", st, None if st == 200 else f"{st}", body=body)
        for t in threads:
            t.join()
        for name, (head, drip, status) in cases.items():
            out, at, complete = results[name]
            responses, _ = parse_responses(out)
            got = responses[0][0] if len(responses) == 1 or "after a good" not in name else responses[-1][0]
            problem = None
            if not responses:
                problem = f"no answer ({out[:100]!r})"
            elif got != status:
                problem = f"{got} where {status} was due: {out[:200]!r}"
            elif status == 408 and complete:
                problem = "the whole drip went through before the 408"
            elif status == 408 and at > timeout_s + 3:  # loose: the sweeper runs every 100 ms
                problem = f"408 only after {at:.1f} s (request timeout {timeout_s} s)"
            self.record(name, got, problem, body=responses[-1][2] if responses else b"")
        # The half-open connections got their 408 too (they have been waiting longer than the timeout).
        for i, s in enumerate(partial):
            s.settimeout(10)
            out, closed, timed_out = read_all(s)
            s.close()
            responses, _ = parse_responses(out)
            got = responses[0][0] if responses else None
            self.record(f"half-open request #{i}", got, None if got == 408 and closed else f"{got}: {out[:100]!r}",
                        timed_out)
        half_hello.settimeout(10)
        out, closed, timed_out = read_all(half_hello)
        half_hello.close()
        self.record("unfinished TLS handshake", None, None if closed else "connection kept", timed_out)
        # The slow reader: its connection is dropped once a write has waited the request timeout,
        # so not all answers ever come, however long it reads.
        slow_reader.settimeout(10)
        out, closed, timed_out = read_all(slow_reader)
        slow_reader.close()
        answered = len(parse_responses(out)[0])
        self.record("reader that does not read", None,
                    None if closed and answered < n_meta else f"{answered} of {n_meta} answers, closed {closed}", timed_out)
        # Idle connections are still open (idle timeout 60 s) and usable.
        for i, s in enumerate(idle[:5]):
            s.sendall(http_request("GET", "/_causeway/health", [("Connection", "close")]))
            s.settimeout(10)
            out, closed, timed_out = read_all(s)
            responses, _ = parse_responses(out)
            got = responses[0][0] if responses else None
            self.record(f"idle connection used late #{i}", got, None if got == 200 else f"{got}: {out[:100]!r}", timed_out)
        for s in idle:
            s.close()

    # -- 3. auth garbage ----------------------------------------------------------------------

    def test_3_auth_garbage(self):
        self.open_category("auth garbage")
        try:
            self.auth_garbage()
            self.cookie_garbage()
            self.lockout_counts_consecutive_failures()
        finally:
            self.close_category()

    def expect_401(self, case, extra_lines, allowed=(401,), path=SERVICE):
        data = f"GET {path} HTTP/1.1\r\nHost: x\r\n".encode() + b"".join(line + b"\r\n" for line in extra_lines) \
            + b"Connection: close\r\n\r\n"
        out, closed, timed_out = exchange(self.srv.port, data, timeout=10)
        responses, _ = parse_responses(out)
        got = responses[0][0] if responses else None
        problem = None
        if got not in allowed:
            problem = f"{got} where {allowed} was due: {out[:300]!r}"
        elif got == 401:
            h = responses[0][1]
            if header(h, "www-authenticate") != REALM:
                problem = f"401 without the SAP realm: {header(h, 'www-authenticate')!r}"
            elif path.startswith("/_causeway/"):
                if "application/json" not in (header(h, "content-type") or "") or b"CAUSEWAY/HTTP/401" not in out:
                    problem = "the control plane's 401 is not its JSON error"
            elif "text/html" not in (header(h, "content-type") or ""):
                problem = "401 is not the logon page"
        self.record(case, got, problem, timed_out, headers=responses[0][1] if responses else None,
                    body=responses[0][2] if responses else b"")

    def auth_garbage(self):
        b64 = lambda raw: base64.b64encode(raw if isinstance(raw, bytes) else raw.encode()).decode()  # noqa: E731
        right = b64("HOSTILE_AUTH:Welcome1!")
        values = [
            "", "Basic", "Basic ", "Basic  ", "Basic !!!", "Basic ====", "Basic =", "Basic a", "Basic ab", "Basic abc",
            "Basic " + b64("HOSTILE_AUTH"), "Basic " + b64(":"), "Basic " + b64(":Welcome1!"), "Basic " + b64("HOSTILE_AUTH:"),
            "Basic " + b64("::::"), "Basic " + b64("HOSTILE_AUTH:wrong"), "Basic " + b64("HOSTILE_AUTH:Welcome1!\x00x"),
            "Basic " + b64("\x00:\x00"), "Basic " + b64("NOBODY:x"), "Basic " + b64("x" * 1000 + ":" + "y" * 1000),
            "Basic " + b64("HOSTILE_AUTH:" + "p" * 8000), "Basic " + b64("u" * 8000 + ":p"), "Basic " + "A" * 12000,
            "Basic " + b64("hostile_auth:welcome1!"), "Basic " + b64("HOSTILE_AUTH :Welcome1!"),
            "Basic " + b64("HOSTILE_AUTH\t:Welcome1!"), "Basic " + b64("\r\n:\r\n"), "Basic " + right + "!",
            "Basic " + right[:-2], "Basic " + right[1:], "Basic a b c", "Basic\t" + b64("NOBODY:x"), "Basic" + b64("NOBODY:x"),
            "Bearer abc", "Bearer ", "Bearer " + "e" * 5000, "Digest username=\"HOSTILE_AUTH\", realm=\"x\", response=\"0\"",
            "Negotiate YIIB", "NTLM TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKALpHAAAADw==",
            "AWS4-HMAC-SHA256 Credential=x/y", "SAML2 PHNhbWw+", "MYSAPSSO2 AjQxMDM", "X509 abc", "Basic " + "\u00e9" * 10,
            "Basic " + b64("H\u00d6STILE:w\u00f6rd".encode("utf-8")), "Basic " + b64("H\u00d6STILE:w\u00f6rd".encode("latin-1")),
            "Basic " + b64("\U0001f642:\U0001f642".encode("utf-8")), "\U0001f642", "Basic ñññ", "Basic \u202e" + right,
        ]
        rnd = random.Random(31)
        for _ in range(25):
            values.append("Basic " + b64(bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 80)))))
        for _ in range(15):
            values.append("".join(chr(rnd.randrange(32, 127)) for _ in range(rnd.randint(1, 200))))
        # Forms some clients send with the right password: taking them or not is both fine, never a 5xx.
        # "Welcome1!" + NULs is the same PBKDF2-HMAC key (HMAC pads short keys with zero bytes).
        maybe = {"basic " + right, "BASIC " + right, "Basic  " + right, "Basic " + right.rstrip("="), "Basic " + right + " x",
                 "Basic " + b64("HOSTILE_AUTH:Welcome1!\x00"), "Basic " + b64("HOSTILE_AUTH:Welcome1!\x00\x00")}
        for i, v in enumerate(values + sorted(maybe)):
            allowed = (200, 401) if v in maybe else (401,)
            self.expect_401(f"Authorization #{i} {v[:40]!r}", [b"Authorization: " + v.encode("utf-8")], allowed)
        self.expect_401("two Authorization headers", [b"Authorization: Basic !!!", b"Authorization: Bearer x"], (400, 401))
        self.expect_401("Authorization without credentials for metrics", [b"Authorization: Basic !!!"], path="/_causeway/metrics")
        self.expect_401("garbage Authorization on SOAP", [b"Authorization: Basic !!!"], path=SOAP_PATH)
        self.client_is_not_reflected_raw()
        # Other users are not affected: JOB_ADMIN still logs on.
        st, _, body = self.srv.request("GET", SERVICE, {"Authorization": basic("JOB_ADMIN", "Welcome1!")})
        self.record("JOB_ADMIN after the garbage", st, None if st == 200 else f"{st}", body=body)

    def client_is_not_reflected_raw(self):
        """The client (sap-client header or URL parameter) reaches the 401's realm, the
        sap-usercontext cookie and the session cookie's name; whatever a caller sends there must
        not add cookie attributes or break the challenge's quoted string."""
        quoted_realm = re.compile(r'Basic realm="(?:[^"\\\x00-\x1f]|\\.)*"')
        cookie_pair = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+=[^;,\s\"\\]*")  # RFC 6265 token = cookie-octets
        values = ["100;Domain=evil.example;Max-Age=99999", "100; Domain=evil.example", '1"2', "100, x", "1\t0"]
        for value in values:
            for where in ("header", "query"):
                for auth in ((), (("Authorization", basic("HOSTILE_LOCK", "Welcome1!")),)):
                    headers = list(auth) + [("Connection", "close")]
                    if where == "header":
                        data = http_request("GET", SERVICE, [("sap-client", value)] + headers)
                    else:
                        data = http_request("GET", SERVICE + "?sap-client=" + value.replace(" ", "%20").replace('"', "%22")
                                            .replace("\t", "%09"), headers)
                    out, closed, timed_out = exchange(self.srv.port, data, timeout=10)
                    responses, _ = parse_responses(out)
                    got = responses[0][0] if responses else None
                    problem = None if got is not None and got < 500 else f"{got}: {out[:200]!r}"
                    if responses:
                        h = responses[0][1]
                        challenge = header(h, "www-authenticate")
                        if challenge is not None and not quoted_realm.fullmatch(challenge):
                            problem = f"malformed challenge {challenge!r}"
                        broken = []
                        for cookie in (v for k, v in h if k == "set-cookie"):
                            pair, *attributes = [a.strip() for a in cookie.split(";")]
                            extra = [a for a in attributes if a.lower() not in ("path=/", "httponly", "secure")
                                     and not a.lower().startswith("samesite=")]
                            if not cookie_pair.fullmatch(pair) or extra:
                                broken.append(cookie)
                        if broken:
                            problem = f"sap-client {value!r} became part of the cookies' syntax: {broken}"
                    self.record(f"sap-client {value!r} in the {where}{' with credentials' if auth else ''}", got, problem,
                                timed_out, headers=responses[0][1] if responses else None,
                                body=responses[0][2] if responses else b"")

    def cookie_garbage(self):
        token, cookie = self.odata_session(self.srv)
        name, value = cookie.split("=", 1)
        payload, _, sig = value.partition(".")
        pad = "=" * (-len(payload) % 4)
        fields = base64.urlsafe_b64decode(payload + pad).decode("latin-1").split("|")

        def forge(**changes):
            f = list(fields)
            for idx, v in changes.items():
                f[int(idx[1:])] = v
            return base64.urlsafe_b64encode("|".join(f).encode()).decode().rstrip("=") + "." + sig

        flip = lambda s, i: s[:i] + ("A" if s[i] != "A" else "B") + s[i + 1:]  # noqa: E731
        values = [
            "garbage", "", ".", "..", value + "x", value[:-1], value[: len(value) // 2], flip(value, 3), flip(value, len(value) - 3),
            payload + ".", "." + sig, payload, sig, value + "." + sig, value.upper(), value.lower(), "%00", "a" * 10000,
            forge(f2="CAUSEWAY_ADMIN"), forge(f2="HOSTILE_AUTH"), forge(f4="9999999999", f5="9999999999"), forge(f3="200"),
            forge(f0="2"), base64.b64encode(os.urandom(60)).decode(), "\u00e4\u00f6\u00fc", "\U0001f36a",
        ]
        rnd = random.Random(77)
        for _ in range(30):
            v = list(value)
            for _ in range(rnd.randint(1, 4)):
                v[rnd.randrange(len(v))] = rnd.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.|=")
            if "".join(v) != value:  # an edit that wrote back the same character is the real cookie
                values.append("".join(v))
        # Edits of the last character's unused low bits decode to the same bytes in a lenient
        # base64 decoder; the server must refuse every spelling it did not mint.
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        for part, at in ((payload, len(payload) - 1), (value, len(value) - 1)):
            c = part[at]
            sibling = alphabet[alphabet.index(c) ^ 1]
            edited = part[:at] + sibling + part[at + 1:]
            values.append(edited + "." + sig if part is payload else edited)
        for i, v in enumerate(values):
            self.expect_401(f"session cookie #{i} {v[:30]!r}", [f"Cookie: {name}={v}".encode("utf-8")])
        # RFC 6265 allows a DQUOTE-wrapped cookie value: the real session either way.
        self.expect_401("quoted real session cookie", [f'Cookie: {name}="{value}"'.encode()], (200, 401))
        for i, line in enumerate([";;;;", "=", "==", name, f"{name}", f"{name}=;{name}=", "; ".join(f"c{i}=v" for i in range(300)),
                                  f"sap-usercontext=sap-client=100; {name}=garbage", f"SAP_SESSIONID_CWY_200={value}",
                                  f"{name.lower()}=garbage", f"{name}={value}; {name}=garbage"]):
            allowed = (200, 401) if line.endswith("=garbage") and value in line else (401,)
            self.expect_401(f"cookie line #{i} {line[:40]!r}", [b"Cookie: " + line.encode()], allowed)
        # The real cookie still works (nothing above harmed the session).
        st, _, body = self.srv.request("GET", SERVICE, {"Cookie": cookie})
        self.record("real session cookie after the garbage", st, None if st == 200 else f"{st}", body=body)

    def lockout_counts_consecutive_failures(self):
        def logon(password):
            st, h, body = self.srv.request("GET", SERVICE, {"Authorization": basic("HOSTILE_LOCK", password)})
            return st, h, body

        for i, password in enumerate(["Welcome1!", "wrong", "Welcome1!", "wrong", "Welcome1!", "wrong", "Welcome1!",
                                      "wrong", "wrong", "Welcome1!"]):
            st, h, body = logon(password)
            want = 200 if password == "Welcome1!" else 401
            self.record(f"lockout sequence #{i} ({password})", st, None if st == want else f"{st} where {want} was due",
                        body=body)
        for i in range(3):
            st, h, body = logon("wrong")
            self.record(f"consecutive failure #{i + 1}", st, None if st == 401 else f"{st}", body=body)
        st, h, body = logon("Welcome1!")
        self.record("right password after 3 consecutive failures (locked)", st,
                    None if st == 401 and header(h, "www-authenticate") == REALM else f"{st}: not locked", body=body)
        st, _, body = self.srv.request("GET", SERVICE, {"Authorization": basic("JOB_ADMIN", "Welcome1!")})
        self.record("other users not locked", st, None if st == 200 else f"{st}", body=body)

    # -- 4. OData garbage ---------------------------------------------------------------------

    def test_4_odata_garbage(self):
        self.open_category("OData garbage")
        try:
            self.token, self.cookie = self.odata_session(self.srv)
            self.conn = self.srv.conn()
            self.odata_paths_and_options()
            self.odata_bodies()
            self.odata_batches()
            self.odata_unknown_roots_and_methods()
        finally:
            self.conn.close()
            self.close_category()

    def odata(self, case, method, path, fmt, headers=None, body=None, allowed=None, plain_404=False):
        """One request on the session; judges the answer (Gateway error in `fmt`)."""
        h = {"Cookie": self.cookie}
        if method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.token
        h.update(headers or {})
        path = path.replace(" ", "%20")
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                hdrs = [(k.lower(), v) for k, v in r.getheaders()]
                if r.will_close:
                    self.conn.close()
                    self.conn = self.srv.conn()
                break
            except socket.timeout:
                self.conn.close()
                self.conn = self.srv.conn()
                self.record(case, None, None, timed_out=True)
                return None, [], b""
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = self.srv.conn()
                if attempt:
                    self.record(case, None, "connection failed")
                    return None, [], b""
        problem, deliberate = judge_odata(r.status, hdrs, data, fmt, plain_404)
        if allowed and r.status not in allowed:
            problem = f"{r.status} where {allowed} was due: {data[:200]!r}"
        self.record(case, r.status, problem, deliberate=deliberate, body=data)
        return r.status, hdrs, data

    def odata_paths_and_options(self):
        S = SERVICE
        job = "JobHeaderSet(JobName='x',JobRunCount='1')"
        paths = [
            "NOPE", "JobTemplateSet/", "JobTemplateSet(", "JobTemplateSet)", "JobTemplateSet()", "JobTemplateSet(''')",
            "JobTemplateSet(JobTemplateName='x')", "JobTemplateSet(JobTemplateName='x',JobTemplateVersion='0',Extra='1')",
            "JobTemplateSet(JobTemplateName='x',JobTemplateName='y')", "JobTemplateSet(1)", "JobTemplateSet('a')",
            "JobTemplateSet(JobTemplateName=,JobTemplateVersion=)", "JobStatusInfoSet('AB')", "JobStatusInfoSet(X'00')",
            "JobStatusInfoSet(guid'zzz')", "JobStatusInfoSet('A')/Nope", "JobStatusInfoSet('A')/JobStatus/$value/x",
            "JobStatusInfoSet('A')/$links/x", "JobStatusInfoSet/$count/x", "$metadata/x", "$batch/x", "%00", "%FF%FE",
            "..%2F..%2F..%2Fetc%2Fpasswd", "JobTemplateSet;o=foo", "a" * 8000, "x/" * 500, job + "/JobStepSet/JobStepLogInfoSet",
            job + "/JobStepSet(1)", "JobStatusInfoSet('A')/JobStatus/JobStatus", "JobStatusInfoSet(JobStatus='A',JobStatus='A')",
            "JobStatusInfoSet('%27%27%27')", "JobStatusInfoSet('%C3%A4')", "JobStatusInfoSet('A'", "JobStatusInfoSet(JobStatus='A'",
            "$count", "$value", "$metadata$metadata", "JobStatusGet()", "JobStatusGet/x", "JobSchedule", "JobinfoSet",
            "JobStatusInfoSet('A')?$expand=JobStepSet", "JobStatusInfoSet%28%27A%27%29", "JobStatusInfoSet('A')%2FJobStatus",
            "JobStatusInfoSet(%27A%27)", "JobStatusInfoSet('Q')", "JobTemplateSet(JobTemplateName='%2F',JobTemplateVersion='0')",
            "JobStatusInfoSet(JobStatus=null)", "JobStatusInfoSet(1e309)", "JobStatusInfoSet(-)", "JobStatusInfoSet(+)",
        ]
        for p in paths:
            for fmt in ("xml", "json"):
                sep = "&" if "?" in p else "?"
                self.odata(f"path {p[:60]} ({fmt})", "GET", S + p + (sep + "$format=json" if fmt == "json" else ""), fmt)
        literals = ["'unterminated", "''''", "datetime'2024-13-45T99:99'", "datetimeoffset'x'", "guid'zzz'", "X'zz'",
                    "binary'0'", "1e999999", "99999999999999999999999999", "-", "time'PT99H'", "12.34.56M", "INF", "NaN",
                    "1.0d", "true", "null", "%00", "'%00'", "'" + "x" * 5000 + "'", "%27", "'a'b'", "'%C3%A4'", "%ZZ", "%",
                    "'%C3%28'", "1L", "-9223372036854775809L", "3.4e39f", "'a'%20'b'", "datetime'0000-00-00T00:00'",
                    "datetimeoffset'2024-01-01T00:00:00+99:99'", "time'P1Y'", "X'0'", "guid'00000000-0000-0000-0000-00000000000G'"]
        for lit in literals:
            for fmt in ("xml", "json"):
                f = "&$format=json" if fmt == "json" else ""
                self.odata(f"literal {lit[:40]} as parameter ({fmt})", "GET",
                           S + f"JobStatusGet?JobName={lit}&JobRunCount='00000001'{f}", fmt)
                self.odata(f"literal {lit[:40]} as key ({fmt})", "GET", S + f"JobStatusInfoSet({lit})" + f.replace("&", "?"), fmt)
                self.odata(f"literal {lit[:40]} in $filter ({fmt})", "GET",
                           S + "JobTemplateSet?$filter=" + quote("JobTemplateText eq ", safe="") + lit + f, fmt)
        filters = [
            "(" * 200 + "true" + ")" * 200, "not " * 200 + "true", " or ".join(["JobTemplateText eq 'x'"] * 300),
            "substringof(" * 100 + "'a'" + ",'b')" * 100, "length(" * 100 + "JobTemplateText" + ")" * 100,
            "JobTemplateStepCount div 0 eq 1", "JobTemplateStepCount mod 0 eq 1",
            "JobTemplateStepCount add 9223372036854775807L gt 0", "-" * 100 + "1 eq 1", "JobTemplateText eq 'x' and", "eq", "''",
            "'", "", "J\u00f6bTemplateText eq 'x'", "JobTemplateText/x eq 1", "substringof('a')", "round(1,2,3) eq 1",
            "cast(JobTemplateText) eq 1", "isof('x')", "JobTemplateText/any(x:x eq 1)", "day(JobTemplateText) eq 1",
            "JobTemplateText eq datetime'2024-01-01T00:00'", "1 eq 1", "true", "null eq null", "JobTemplateText eq 'x' or 1",
            "JobTemplateText eq 'x')", "(JobTemplateText eq 'x'", "JobTemplateText eq 'x' eq 'y'", "$it eq 1",
            "JobTemplateText eq " + "'" + "a" * 6000 + "'", "JobTemplateText eq 'x' and not", "substringof(,)", "()",
        ]
        rnd = random.Random(44)
        vocab = ["JobTemplateText", "JobTemplateStepCount", "JobTemplateName", "eq", "ne", "gt", "le", "and", "or", "not",
                 "(", ")", "'x'", "1", "add", "sub", "mul", "div", "mod", "substringof(", "startswith(", "tolower(",
                 "length(", ",", "null", "true", "datetime'2024-01-01T00:00'", "/", "-", "''", "1.5M", "X'00'", "2L"]
        for _ in range(120):
            filters.append(" ".join(rnd.choice(vocab) for _ in range(rnd.randint(1, 12))))
        for i, f in enumerate(filters):
            fmt = "json" if i % 2 else "xml"
            self.odata(f"$filter #{i} {f[:50]!r}", "GET", S + "JobTemplateSet?$filter=" + quote(f, safe="")
                       + ("&$format=json" if fmt == "json" else ""), fmt)
        expands = ["JobStepSet/JobStepSet", "JobStepSet/JobStepLogInfoSet/JobLogMessageSet/JobStepSet",
                   ",".join(["JobStepSet"] * 1000), "JobStepSet/", "/", "Nope", "JobStepSet//JobStepLogInfoSet", "",
                   "/".join(["JobStepSet"] * 300), "JobStepSet,Nope", "JobStepSet/JobStepLogInfoSet/JobLogMessageSet/x",
                   "*", "JobStepSet($filter=x)"]
        for e in expands:
            for res in ("JobHeaderSet", "JobHeaderSet(JobName='x',JobRunCount='1')", "JobTemplateSet"):
                self.odata(f"$expand {e[:40]!r} on {res[:20]}", "GET", S + res + "?$format=json&$expand=" + quote(e, safe=",/"),
                           "json")
        formats = [("xml2", "xml"), ("json;odata=verbose", None), ("application/json", "json"),
                   ("application/json;charset=utf-8", None), ("JSON", "xml"), ("", "xml"), ("%00", "xml"), ("atom", "xml"),
                   ("text/html", "xml"), ("json&$format=json", "json"), ("json&$format=xml", "json"),
                   ("xml&$format=json", "xml"), ("*/*", "xml"), ("application/atom+xml", "xml"), ("a" * 2000, "xml")]
        for value, fmt in formats:
            for res in ("JobStatusInfoSet('Q')", "JobStatusInfoSet", "$metadata", ""):
                self.odata(f"$format={value[:30]} on {res or 'service root'}", "GET", S + res + "?$format=" + value, fmt)
        accepts = [("application/json", "json"), ("application/xml", "xml"), ("text/html", "xml"), ("*/*", "xml"),
                   ("application/json;q=0", None), ("garbage;;;===", "xml"), ("a" * 10000, "xml"), ("", "xml"),
                   ("application/json, application/xml", None), ("\u00e4", "xml")]
        for value, fmt in accepts:
            self.odata(f"Accept {value[:30]!r}", "GET", S + "JobStatusInfoSet('Q')",
                       fmt, headers={"Accept": value.encode("utf-8").decode("latin-1")})
        options = ["$top=-1", "$top=abc", "$top=99999999999999999999", "$skip=-5", "$skip=1e3", "$orderby=Nope desc",
                   "$orderby=JobTemplateText sideways", "$orderby=", "$orderby=JobTemplateText,", "$select=Nope",
                   "$select=*,*", "$select=JobTemplateText/x", "$inlinecount=maybe", "$inlinecount=allpages&$inlinecount=allpages",
                   "$skiptoken=garbage", "$skiptoken=-1", "$unknown=1", "$count=true", "$search=x", "$levels=2", "%", "&&&&",
                   "=", "$filter", "$=x", "sap-client=abc", "sap-language=ZZZZ", "sap-client=999", "x=1&" * 1500,
                   "$top=1&$top=2", "$filter=true&$filter=false", "%24top=1", "$TOP=1", "$top=%00", "$orderby=" + "JobTemplateText," * 500]
        for o in options:
            for res in ("JobTemplateSet", "JobStatusInfoSet('A')", "JobStatusGet"):
                self.odata(f"option {o[:40]} on {res}", "GET", S + res + "?" + o + "&$format=json", "json")

    def odata_bodies(self):
        S = SERVICE
        json_bodies = [b"{bad", b"[]", b"null", b'{"d":', b'"\\u0000"', b"[" * 100000, b'{"a":' * 50000, b'"' + b"x" * 500000 + b'"',
                       b"\xff\xfe{}", b"\xef\xbb\xbf{}", b'{"d":{"JobTemplateName":' + b"9" * 5000 + b"}}",
                       b'{"d":{"__metadata":{"uri":"http://evil/"},"x":1}}', b"", b"{}" * 1000, b'{"\\ud800":1}']
        atom_bodies = [b"<entry", b"not xml", b"<a>" * 100000,
                       b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                       b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><entry>&d;</entry>',
                       b'<!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]><entry>&f;</entry>',
                       b'<entry xmlns="http://www.w3.org/2005/Atom"><content type="application/xml"><m:properties '
                       b'xmlns:m="x"/></content></entry>']
        targets = [("POST", "JobTemplateSet"), ("PUT", "JobTemplateSet(JobTemplateName='x',JobTemplateVersion='0')"),
                   ("MERGE", "JobStatusInfoSet('A')"), ("PATCH", "JobStatusInfoSet('A')"), ("DELETE", "JobStatusInfoSet('A')"),
                   ("POST", "JobStatusInfoSet"), ("POST", "JobCancel?JobName='x'&JobRunCount='1'"), ("POST", "NOPE")]
        for method, target in targets:
            for i, body in enumerate(json_bodies):
                self.odata(f"{method} {target[:30]} JSON body #{i}", method, S + target + ("&" if "?" in target else "?")
                           + "$format=json", "json", headers={"Content-Type": "application/json"}, body=body)
            for i, body in enumerate(atom_bodies):
                self.odata(f"{method} {target[:30]} Atom body #{i}", method, S + target, "xml",
                           headers={"Content-Type": "application/atom+xml"}, body=body)
        for i, body in enumerate(json_bodies[:6]):
            self.odata(f"X-HTTP-Method MERGE, JSON body #{i}", "POST", S + "JobStatusInfoSet('A')?$format=json", "json",
                       headers={"Content-Type": "application/json", "X-HTTP-Method": "MERGE"}, body=body)
        for value in ("FOO", "GET", "POST", "", "MERGE, DELETE"):
            self.odata(f"X-HTTP-Method {value!r}", "POST", S + "JobStatusInfoSet('A')?$format=json", "json",
                       headers={"Content-Type": "application/json", "X-HTTP-Method": value}, body=b"{}")

    def batch(self, case, body, part_fmts=None, content_type="multipart/mixed; boundary=batch_hostile", headers=None,
              allowed=None, parts_allowed=None):
        """Posts a $batch; judges the outer answer and, for a 202, every part in its own format."""
        h = {"Content-Type": content_type} if content_type is not None else {}
        h.update(headers or {})
        st, hdrs, data = self.odata(case, "POST", SERVICE + "$batch", None, headers=h, body=body, allowed=allowed)
        if st != 202:
            return st, []
        try:
            parts = multipart_parts(header(hdrs, "content-type"), data)
        except ValueError as e:
            self.record(f"{case}: parts", None, f"unreadable multipart answer: {e}")
            return st, []
        for i, (pst, ph, pbody) in enumerate(parts):
            fmt = part_fmts[i] if part_fmts and i < len(part_fmts) else None
            problem, deliberate = judge_odata(pst, ph, pbody, fmt)
            if parts_allowed and i < len(parts_allowed) and parts_allowed[i] and pst not in parts_allowed[i]:
                problem = f"part {i}: {pst} where {parts_allowed[i]} was due: {pbody[:200]!r}"
            self.record(f"{case}: part {i}", pst, problem, deliberate=deliberate, body=pbody)
        return st, parts

    def odata_batches(self):
        get = lambda target, extra="": f"GET {target} HTTP/1.1\r\n{extra}\r\n"  # noqa: E731
        # Each part's error follows that part's own negotiation, whatever the outer request says.
        for outer in ({}, {"Accept": "application/json"}, {"Accept": "application/xml"}):
            self.batch(f"per-part formats, outer {outer}", batch_body([
                get("JobStatusInfoSet('Q')?$format=json"), get("JobStatusInfoSet('Q')", "Accept: application/json\r\n"),
                get("JobStatusInfoSet('Q')"), get("JobStatusInfoSet('Q')?$format=xml", "Accept: application/json\r\n"),
                get("NOPE?$format=json"), get("JobStatusInfoSet?$filter=bad&$format=json"), get("JobinfoSet"),
            ]), ["json", "json", "xml", "xml", "json", "json", "xml"], headers=outer, allowed=(202,))
        # Chains of 6,000 terms inside an inner GET: a 400 part, the server alive.
        chains = [
            ("and", " and ".join(["JobTemplateText eq 'a'"] * 6000), "json"),
            ("or", " or ".join(["JobTemplateText eq 'a'"] * 6000), "xml"),
            ("add", "JobTemplateStepCount" + " add 1" * 6000 + " eq 5", "json"),
            ("parentheses", "(" * 6000 + "true" + ")" * 6000, "xml"),
            ("not", "not " * 6000 + "true", "json"),
            ("mixed", " or ".join(f"JobTemplateStepCount add {i} eq {i} and true" for i in range(3000)), "xml"),
        ]
        for name, f, fmt in chains:
            target = "JobTemplateSet?$filter=" + quote(f, safe="") + ("&$format=json" if fmt == "json" else "")
            self.batch(f"6,000-term {name} chain in $batch", batch_body([get(target), get("JobStatusInfoSet('A')?$format=json")]),
                       [fmt, "json"], allowed=(202,), parts_allowed=[(400,), (200,)])
        B = "batch_hostile"
        part = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
        broken = {
            "no content type": (batch_body([get("JobStatusInfoSet")]), None),
            "no boundary": (batch_body([get("JobStatusInfoSet")]), "multipart/mixed"),
            "wrong boundary": (batch_body([get("JobStatusInfoSet")]), "multipart/mixed; boundary=other"),
            "empty boundary": (batch_body([get("JobStatusInfoSet")]), "multipart/mixed; boundary="),
            "300-char boundary": (batch_body([get("JobStatusInfoSet")], "b" * 300), "multipart/mixed; boundary=" + "b" * 300),
            "quoted boundary": (batch_body([get("JobStatusInfoSet")]), f'multipart/mixed; boundary="{B}"'),
            "not multipart": (b"{}", "application/json"),
            "no close delimiter": (f"--{B}\r\n{part}{get('JobStatusInfoSet')}\r\n".encode(), None),
            "part without headers": (f"--{B}\r\n\r\n{get('JobStatusInfoSet')}\r\n--{B}--\r\n".encode(), None),
            "garbage request line": (f"--{B}\r\n{part}FOO BAR\r\n\r\n\r\n--{B}--\r\n".encode(), None),
            "request line without version": (f"--{B}\r\n{part}GET JobStatusInfoSet\r\n\r\n\r\n--{B}--\r\n".encode(), None),
            "empty part": (f"--{B}\r\n{part}\r\n--{B}--\r\n".encode(), None),
            "empty body": (b"", None),
            "only close delimiter": (f"--{B}--\r\n".encode(), None),
            "GET in a change set": (batch_body([[get("JobStatusInfoSet")]]), None),
            "POST outside a change set": (batch_body(["POST JobCancel?JobName='x'&JobRunCount='1' HTTP/1.1\r\n\r\n"]), None),
            "nested change sets": ((f"--{B}\r\nContent-Type: multipart/mixed; boundary=cs1\r\n\r\n--cs1\r\n"
                                   "Content-Type: multipart/mixed; boundary=cs2\r\n\r\n--cs2\r\n" + part +
                                   "POST JobCancel HTTP/1.1\r\n\r\n\r\n--cs2--\r\n--cs1--\r\n" + f"--{B}--\r\n").encode(), None),
            "unclosed change set": ((f"--{B}\r\nContent-Type: multipart/mixed; boundary=cs1\r\n\r\n--cs1\r\n{part}"
                                    f"POST JobCancel HTTP/1.1\r\n\r\n\r\n--{B}--\r\n").encode(), None),
            "1001 parts": (batch_body([get("JobStatusInfoSet('A')")] * 1001), None),
            "binary garbage": (random.Random(5).randbytes(10000), None),
            "LF only": (batch_body([get("JobStatusInfoSet('A')?$format=json")]).replace(b"\r\n", b"\n"), None),
            "base64 part": ((f"--{B}\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                            f"{base64.b64encode(get('JobStatusInfoSet').encode()).decode()}\r\n--{B}--\r\n").encode(), None),
            "text/plain part": (f"--{B}\r\nContent-Type: text/plain\r\n\r\nhello\r\n--{B}--\r\n".encode(), None),
            "absolute URL to another host": (batch_body([get("http://evil.example/sap/opu/odata/sap/OTHER/JobStatusInfoSet")]), None),
            "URL escaping the service root": (batch_body([get("../../NOPE/$metadata"), get("/sap/opu/odata/sap/NOPE/"),
                                                          get("/_causeway/metrics")]), None),
            "$batch inside $batch": (batch_body([[f"POST $batch HTTP/1.1\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n"
                                                  f"--inner\r\n{part}{get('JobStatusInfoSet')}\r\n--inner--\r\n"]]), None),
            "100 KB inner header": (batch_body([get("JobStatusInfoSet('A')", "X-Big: " + "b" * 100000 + "\r\n")]), None),
            "inner Content-Length too large": (batch_body([["POST JobCancel?JobName='x'&JobRunCount='1' HTTP/1.1\r\n"
                                                            "Content-Length: 99999\r\n\r\n{}"]]), None),
            "unknown Content-ID reference": (batch_body([["POST $99/JobStatus HTTP/1.1\r\nContent-ID: 1\r\n\r\n"]]), None),
            "preamble and epilogue": (b"preamble\r\n" + batch_body([get("JobStatusInfoSet('A')?$format=json")]) + b"epilogue",
                                      None),
            "NUL bytes in a part": (batch_body([get("JobStatusInfoSet('A')\x00")]), None),
            "inner request with absolute-form URL of this service": (batch_body([get(
                f"http://127.0.0.1:{self.srv.port}{SERVICE}JobStatusInfoSet('A')?$format=json")]), None),
        }
        for name, (body, ctype) in broken.items():
            self.batch(f"$batch {name}", body, content_type=ctype or f"multipart/mixed; boundary={B}")
        self.odata("GET $batch", "GET", SERVICE + "$batch", None)

    def odata_unknown_roots_and_methods(self):
        for path, fmt in (("/sap/opu/odata/sap/NOPE/", "xml"), ("/sap/opu/odata/sap/NOPE/$metadata?$format=json", "json")):
            st, h, body = self.odata(f"unknown root {path}", "GET", path, fmt, allowed=(404,))
            with self.subTest(case=f"unknown root {path}: Gateway code"):
                self.assertEqual(gateway_code(h, body), "/IWFND/MED/170", body[:300])
            st, h, body = self.srv.request("GET", path)
            self.record(f"unknown root {path} without credentials", st,
                        None if st == 401 and header(h, "www-authenticate") == REALM else f"{st}", body=body)
        for path in ["/sap/opu/odata/sap/NOPE;v=0002/", "/sap/opu/odata/SAP/nope/", "/sap/opu/odata/iwbep/NOPE/",
                     "/sap/opu/odata/sap/", "/sap/opu/odata/", "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0099/",
                     "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=abc/", "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;o=x/",
                     "/sap/opu/odata/sap/%00/", "/sap/opu/odata/sap/" + "N" * 5000 + "/", "/sap/opu/odata/sap/NOPE?$format=json",
                     "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT?v=9/", "/sap/opu/odata4/sap/NOPE/"]:
            self.odata(f"odd root {path[:60]}", "GET", path, "json" if "format=json" in path else None,
                       plain_404=not re.match(r"/sap/opu/odata/[^/]+/[^/]+", path))
        admin = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}
        for path, headers in (("/_causeway/health", {}), ("/_causeway/metrics", admin)):
            for method in ("TRACE", "DELETE", "PUT", "POST", "PATCH", "OPTIONS", "FOO", "BREW", "PROPFIND", "M-SEARCH", "MERGE"):
                st, h, body = self.srv.request(method, path, headers)
                ok = st == 405 and header(h, "allow") == "GET, HEAD"
                self.record(f"{method} {path}", st, None if ok else f"{st}, allow {header(h, 'allow')!r}", body=body)

    # -- 6. SOAP garbage ----------------------------------------------------------------------

    def test_6_soap_garbage(self):
        self.open_category("SOAP garbage")
        try:
            self.soap_garbage()
        finally:
            self.close_category()

    def soap_garbage(self):
        env = "http://schemas.xmlsoap.org/soap/envelope/"
        valid = (f'<s:Envelope xmlns:s="{env}"><s:Header/><s:Body>'
                 '<n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">'
                 '<BasicMessageHeader><UUID>5d1c0e2a-4c3d-4e5f-8a7b-6c5d4e3f2a10</UUID></BasicMessageHeader>'
                 '<ActivityTask actionCode="01"><ObjectNodeSenderTechnicalID>1</ObjectNodeSenderTechnicalID><Name>x</Name>'
                 '</ActivityTask></n0:TaskActivityBundleMaintainRequest_sync_V1></s:Body></s:Envelope>')
        laughs = ('<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">' + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)) + "]>")
        cases = {
            "billion laughs": (laughs + valid.replace("<Name>x</Name>", "<Name>&j;</Name>")).encode(),
            "quadratic blowup": ('<!DOCTYPE q [<!ENTITY a "' + "a" * 50000 + '">]>'
                                 + valid.replace("<Name>x</Name>", "<Name>" + "&a;" * 10000 + "</Name>")).encode(),
            "external entity": ('<!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
                                + valid.replace("<Name>x</Name>", "<Name>&f;</Name>")).encode(),
            "external DTD": ('<!DOCTYPE x SYSTEM "http://127.0.0.1:1/x.dtd">' + valid).encode(),
            "parameter entities": ('<!DOCTYPE x [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>' + valid).encode(),
            "internal DOCTYPE only": ("<!DOCTYPE x []>" + valid).encode(),
            "not XML": b"garbage", "empty": b"", "JSON": b'{"Envelope":{}}', "lone <": b"<",
            "declaration only": b"<?xml version='1.0'?>",
            "wrong envelope namespace": valid.replace(env, "urn:not-soap").encode(),
            "no envelope namespace": valid.replace(f' xmlns:s="{env}"', "").encode(),
            "SOAP 1.2 namespace": valid.replace(env, "http://www.w3.org/2003/05/soap-envelope").encode(),
            "huge depth": (f'<s:Envelope xmlns:s="{env}"><s:Body>' + "<a>" * 100000 + "</a>" * 100000 + "</s:Body></s:Envelope>").encode(),
            "unclosed depth": (f'<s:Envelope xmlns:s="{env}"><s:Body>' + "<a>" * 200000).encode(),
            "10,000 attributes": (f'<s:Envelope xmlns:s="{env}" ' + " ".join(f'a{i}="{i}"' for i in range(10000))
                                  + "><s:Body/></s:Envelope>").encode(),
            "500 KB attribute": (f'<s:Envelope xmlns:s="{env}" a="' + "v" * 500000 + '"><s:Body/></s:Envelope>').encode(),
            "1,000 namespace declarations": (f'<s:Envelope xmlns:s="{env}" ' + " ".join(f'xmlns:p{i}="urn:{i}"' for i in range(1000))
                                             + "><s:Body/></s:Envelope>").encode(),
            "500 KB comment": (f'<s:Envelope xmlns:s="{env}"><!--' + "c" * 500000 + "--><s:Body/></s:Envelope>").encode(),
            "500 KB CDATA": valid.replace("<Name>x</Name>", "<Name><![CDATA[" + "d" * 500000 + "]]></Name>").encode(),
            "processing instructions": ("<?pi " + "x" * 1000 + "?>" + valid.replace("<s:Body>", "<s:Body>" + "<?p x?>" * 5000)).encode(),
            "UTF-16": valid.encode("utf-16"),
            "UTF-32 declared UCS-4": ("<?xml version='1.0' encoding='UCS-4'?>" + valid).encode("utf-32"),
            "unknown encoding": ("<?xml version='1.0' encoding='EBCDIC-XX'?>" + valid).encode(),
            "invalid UTF-8": valid.replace("<Name>x</Name>", "<Name>\udcff</Name>").encode("utf-8", "surrogateescape"),
            "NUL byte": valid.replace("<Name>x</Name>", "<Name>\x00</Name>").encode(),
            "empty Body": f'<s:Envelope xmlns:s="{env}"><s:Body/></s:Envelope>'.encode(),
            "unknown operation": f'<s:Envelope xmlns:s="{env}"><s:Body><x:Nope xmlns:x="urn:x"/></s:Body></s:Envelope>'.encode(),
            "two Bodies": valid.replace("</s:Body>", "</s:Body><s:Body/>").encode(),
            "Header only": f'<s:Envelope xmlns:s="{env}"><s:Header/></s:Envelope>'.encode(),
            "text in Envelope": valid.replace("<s:Header/>", "<s:Header/>text").encode(),
            "mustUnderstand header": valid.replace(
                "<s:Header/>", '<s:Header><x:H xmlns:x="urn:x" s:mustUnderstand="1"/></s:Header>').encode(),
            "duplicate attribute": valid.replace('actionCode="01"', 'actionCode="01" actionCode="02"').encode(),
            "300-char Name": valid.replace("<Name>x</Name>", "<Name>" + "x" * 300 + "</Name>").encode(),
            "900 KB Name": valid.replace("<Name>x</Name>", "<Name>" + "x" * 900000 + "</Name>").encode(),
            "5,000 tasks": valid.replace("</ActivityTask>",
                                         "</ActivityTask>" + '<ActivityTask actionCode="99"/>' * 5000).encode(),
        }
        raw = valid.encode()
        rnd = random.Random(66)
        for cut in range(1, len(raw), max(1, len(raw) // 25)):
            cases[f"truncated at {cut}"] = raw[:cut]
        for i in range(40):
            b = bytearray(raw)
            for _ in range(rnd.randint(1, 8)):
                b[rnd.randrange(len(b))] = rnd.randrange(256)
            cases[f"mutated #{i}"] = bytes(b)
        auth = {"Authorization": basic("TASK_SYNC", "Welcome1!"), "Content-Type": "text/xml; charset=utf-8"}
        conn = self.srv.conn()
        try:
            for name, body in cases.items():
                try:
                    st, h, out = self.srv.request("POST", SOAP_PATH, auth, body, conn=conn)
                except OSError as e:
                    conn.close()
                    conn = self.srv.conn()
                    self.record(f"SOAP {name}", None, f"{type(e).__name__}", timed_out=isinstance(e, socket.timeout))
                    continue
                problem = None
                if st == 200:
                    if b"<Log>" not in out:  # a mutation may still be a valid request
                        problem = f"200 without a confirmation: {out[:200]!r}"
                elif st != 500 or not SOAP_FAULT.search(out):
                    problem = f"{st} where a SOAP fault was due: {out[:200]!r}"
                self.record(f"SOAP {name}", st, problem, body=out)
        finally:
            conn.close()
        # Around the endpoint: content types, other users, methods.
        others = [
            ("JSON content type", "POST", {"Authorization": basic("TASK_SYNC", "Welcome1!"), "Content-Type": "application/json"},
             b"{}", (500,)),
            ("no content type", "POST", {"Authorization": basic("TASK_SYNC", "Welcome1!")}, b"<x/>", (500,)),
            ("SOAP 1.2 content type with garbage", "POST", {"Authorization": basic("TASK_SYNC", "Welcome1!"),
                                                            "Content-Type": "application/soap+xml"}, b"garbage", (500,)),
            ("user without the arrangement", "POST", {"Authorization": basic("JOB_ADMIN", "Welcome1!"),
                                                      "Content-Type": "text/xml"}, raw, (500,)),
            ("no credentials", "POST", {"Content-Type": "text/xml"}, raw, (401,)),
            ("garbage credentials", "POST", {"Authorization": "Basic !!!", "Content-Type": "text/xml"}, raw, (401,)),
            ("GET without ?wsdl", "GET", {"Authorization": basic("TASK_SYNC", "Welcome1!")}, None, (405,)),
            ("DELETE", "DELETE", {"Authorization": basic("TASK_SYNC", "Welcome1!")}, None, (405,)),
            ("GET ?wsdl", "GET", {"Authorization": basic("TASK_SYNC", "Welcome1!")}, None, (200,)),
        ]
        for name, method, headers, body, allowed in others:
            path = SOAP_PATH + ("?wsdl" if name == "GET ?wsdl" else "")
            st, h, out = self.srv.request(method, path, headers, body)
            problem = None if st in allowed else f"{st} where {allowed} was due: {out[:200]!r}"
            if st == 500 and not SOAP_FAULT.search(out):
                problem = f"500 without a SOAP fault: {out[:200]!r}"
            self.record(f"SOAP endpoint: {name}", st, problem, body=out)


class HostileLargeBodies(Category):
    """Category 5 on its own server, with the default body limit (16 MiB) instead of the harness's 1 MiB."""

    MAX_BODY = 16 * MIB

    @classmethod
    def setUpClass(cls):
        cls.server = Server(request_timeout_ms=20000, extra_users=EXTRA_USERS, extra_config=EXTRA_CONFIG,
                            max_body_bytes=cls.MAX_BODY)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_5_large_bodies(self):
        # Warm up every path once, so that "idle" includes what any first request allocates.
        token, cookie = self.odata_session(self.server)
        self.server.request("GET", SERVICE + "JobStatusInfoSet?$format=json", {"Cookie": cookie})
        self.server.request("POST", SOAP_PATH, {"Authorization": basic("TASK_SYNC", "Welcome1!"), "Content-Type": "text/xml"},
                            b"<x/>")
        self.open_category("large bodies")
        try:
            self.unauthenticated_flood()
            self.authenticated_large_bodies(token, cookie)
            self.compression_bombs(token, cookie)
        finally:
            self.close_category()

    def push(self, path, size, content_type):
        """POSTs `size` body bytes without credentials on a raw socket, as fast as the server
        reads them, while watching for its answer. Returns (answer bytes, bytes sent, timed out)."""
        s = socket.create_connection(("127.0.0.1", self.srv.port), timeout=30)
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\nContent-Length: {size}\r\n\r\n".encode())
        s.setblocking(False)
        chunk = b"\0" * 65536
        sent, out, writing = 0, b"", True
        deadline = time.monotonic() + 60
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return out, sent, True
                r, w, _ = select.select([s], [s] if writing and sent < size else [], [], remaining)
                if r:
                    try:
                        data = s.recv(65536)
                    except BlockingIOError:
                        data = None
                    except OSError:
                        return out, sent, False
                    if data == b"":
                        return out, sent, False
                    if data:
                        out += data
                if w:
                    try:
                        sent += s.send(chunk[:min(len(chunk), size - sent)])
                    except BlockingIOError:
                        pass
                    except OSError:
                        writing = False
        finally:
            s.close()

    def unauthenticated_flood(self):
        size = 15 * 1000 * 1000
        targets = [(SERVICE + "$batch", "multipart/mixed; boundary=b"), (SOAP_PATH, "text/xml"),
                   ("/_causeway/metrics", "application/octet-stream"),
                   (SERVICE + "JobSchedule?JobTemplateName='ZCW_DEMO_NOOP'", "application/json")]
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak[0] = max(peak[0], self.srv.rss_bytes() or 0)
                done.wait(0.02)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            with ThreadPoolExecutor(16) as pool:
                results = list(pool.map(lambda i: (i, targets[i % 4], self.push(targets[i % 4][0], size, targets[i % 4][1])),
                                        range(16)))
        finally:
            done.set()
            sampler.join()
        for i, (path, _), (out, sent, timed_out) in results:
            responses, _ = parse_responses(out)
            got = responses[0][0] if responses else None
            problem = None
            if got != 401:
                problem = f"{got} where 401 was due: {out[:200]!r}"
            elif header(responses[0][1], "www-authenticate") != REALM:
                problem = "401 without the SAP realm"
            self.record(f"unauthenticated 15 MB #{i} to {path[:40]} ({sent // 1000} kB taken)", got, problem, timed_out,
                        headers=responses[0][1] if responses else None, body=responses[0][2] if responses else b"")
        rss = self.srv.rss_bytes()
        taken = [sent for _, _, (_, sent, _) in results]
        self.tally.notes.append(f"16 × 15 MB unauthenticated at once: the server read {min(taken) / 1e6:.1f}–"
                                f"{max(taken) / 1e6:.1f} MB of each (into a scratch buffer); RSS peak {mib(peak[0])} "
                                f"while they ran, {mib(rss)} after (limit 60 MiB)")
        self.assertLessEqual(rss, 60 * MIB, f"RSS {mib(rss)} after 16 concurrent unauthenticated 15 MB bodies")

    def authenticated_large_bodies(self, token, cookie):
        size = 12 * MIB
        odata = {"Cookie": cookie, "X-CSRF-Token": token}
        big_batch = batch_body(["GET JobStatusInfoSet('A')?$format=json HTTP/1.1\r\n\r\n"]) + b" " * size
        literal = "x" * 30000
        part = f"GET JobStatusInfoSet?$filter=JobStatusText%20eq%20'{literal}'&$format=json HTTP/1.1\r\n\r\n"
        many_parts = batch_body([part] * 200)
        soap = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                '<n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">'
                '<BasicMessageHeader><UUID>7d1c0e2a-4c3d-4e5f-8a7b-6c5d4e3f2a10</UUID></BasicMessageHeader>'
                '<ActivityTask actionCode="01"><ObjectNodeSenderTechnicalID>1</ObjectNodeSenderTechnicalID><Name>'
                + "n" * size + '</Name></ActivityTask></n0:TaskActivityBundleMaintainRequest_sync_V1></s:Body></s:Envelope>').encode()
        cancel = SERVICE + "JobCancel?JobName='00000000000000000000000000000000'&JobRunCount='00000000'"
        kinds = [
            ("$batch of 12 MiB (over the $batch limit)", SERVICE + "$batch",
             dict(odata, **{"Content-Type": "multipart/mixed; boundary=batch_hostile"}), big_batch, (413,)),
            ("$batch of 200 parts, 6 MB", SERVICE + "$batch",
             dict(odata, **{"Content-Type": "multipart/mixed; boundary=batch_hostile"}), many_parts, (202,)),
            ("SOAP with a 12 MiB Name", SOAP_PATH, {"Authorization": basic("TASK_SYNC", "Welcome1!"),
                                                    "Content-Type": "text/xml"}, soap, (500,)),
            ("function import with a 12 MiB body", cancel, dict(odata, **{"Content-Type": "application/octet-stream"}),
             b"z" * size, (400,)),
        ]
        # OData and plain bodies first, then SOAP: RSS is checked after each group, so that a
        # group that keeps memory is named.
        groups = [("OData", [kinds[i % 4] for i in range(16) if i % 4 != 2]), ("SOAP", [kinds[2]] * 4)]
        conn = self.srv.conn()
        conn.timeout = 60
        n = 0
        try:
            for group, todo in groups:
                for name, path, headers, body, allowed in todo:
                    n += 1
                    try:
                        st, h, out = self.srv.request("POST", path, headers, body, conn=conn)
                    except OSError as e:
                        conn.close()
                        conn = self.srv.conn()
                        conn.timeout = 60
                        self.record(f"authenticated #{n} {name}", None, type(e).__name__,
                                    timed_out=isinstance(e, socket.timeout))
                        continue
                    problem = None if st in allowed else f"{st} where {allowed} was due: {out[:200]!r}"
                    if st == 202:
                        parts = multipart_parts(header(h, "content-type"), out)
                        if len(parts) != 200 or any(p[0] != 200 for p in parts):
                            problem = f"{len(parts)} parts, statuses {sorted(set(p[0] for p in parts))}"
                    self.record(f"authenticated #{n} {name}", st, problem, headers=h, body=out)
                self.assert_rss_settles(group, len(todo))
        finally:
            conn.close()

    def compression_bombs(self, token, cookie):
        """Bodies sent with Content-Encoding that inflate far beyond the body limit (256 MiB of
        zeros in about 256 KiB): 413 once the limit is reached, never inflated before the gate
        let the sender in, and nothing kept afterwards."""
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # gzip
        zeros = b"\0" * (1 << 20)
        gz = b"".join(packer.compress(zeros) for _ in range(256)) + packer.flush()
        soap = {"Authorization": basic("TASK_SYNC", "Welcome1!"), "Content-Type": "text/xml", "Content-Encoding": "gzip"}
        odata = {"Cookie": cookie, "X-CSRF-Token": token, "Content-Encoding": "gzip",
                 "Content-Type": "multipart/mixed; boundary=batch_hostile"}
        # Each refusal comes in the addressed service's protocol: a SOAP fault, a Gateway error in
        # the format the request asked for (the 401 is the gate's, the same for every protocol).
        fault, gateway_json = (b"text/xml", b":Fault>"), (b"application/json", b'"CAUSEWAY/HTTP/413"')
        cases = [("gzip bomb to SOAP", SOAP_PATH, soap, (413,), fault),
                 ("gzip bomb to $batch", SERVICE + "$batch", dict(odata, Accept="application/json"), (413,),
                  gateway_json),
                 ("gzip bomb without credentials", SOAP_PATH, {"Content-Type": "text/xml", "Content-Encoding": "gzip"},
                  (401,), None),
                 ("gzip bomb, coding unknown", SOAP_PATH, dict(soap, **{"Content-Encoding": "br"}), (415,), fault),
                 ("$batch, coding unknown", SERVICE + "$batch",
                  dict(odata, **{"Content-Encoding": "br", "Accept": "application/json"}), (415,),
                  (b"application/json", b'"CAUSEWAY/HTTP/415"'))]
        conn = self.srv.conn()
        conn.timeout = 60
        try:
            for name, path, headers, allowed, shape in cases * 2:
                st, h, out = self.srv.request("POST", path, headers, gz, conn=conn)
                problem = None if st in allowed else f"{st} where {allowed} was due: {out[:200]!r}"
                if problem is None and shape and not ((header(h, "content-type") or "").encode().startswith(shape[0])
                                                      and shape[1] in out):
                    problem = f"not in the service's protocol: {header(h, 'content-type')} {out[:200]!r}"
                self.record(f"{name} ({len(gz) // 1024} KiB for 256 MiB)", st, problem, headers=h, body=out)
                if header(h, "connection") == "close":
                    conn.close()
                    conn = self.srv.conn()
                    conn.timeout = 60
        finally:
            conn.close()
        self.assert_rss_settles("gzip bomb", len(cases) * 2, what="gzip bombs of 256 KiB for 256 MiB")

    def assert_rss_settles(self, group, count, what="authenticated {group} bodies of 6–12 MiB"):
        """Freed request memory goes back to the system (trimmed at most once a second): RSS comes
        back within 16 MiB of idle (one body's worth) within a few seconds."""
        idle = self.tally.rss_before
        near = idle + 16 * MIB
        deadline = time.monotonic() + 6
        rss = self.srv.rss_bytes()
        while rss > near and time.monotonic() < deadline:
            time.sleep(0.2)
            rss = self.srv.rss_bytes()
        self.tally.notes.append(f"{count} {what.format(group=group)} one after another: RSS {mib(rss)} "
                                f"afterwards (idle {mib(idle)}, allowed {mib(near)})")
        with self.subTest(case=f"RSS after the {group} bodies"):
            self.assertLessEqual(rss, near, f"RSS {mib(rss)} did not return near idle ({mib(idle)}) after {count} "
                                            f"large {group} bodies")


class FewOpenFiles(unittest.TestCase):
    """A server allowed only 160 open files (RLIMIT_NOFILE, soft and hard; Debian starts processes
    with a soft limit of 1,024 against a max_connections of 4,096) fits max_connections to the
    limit: a client that opens far more connections gets the surplus closed at once, while the
    server keeps answering, instead of accept() failing with EMFILE in a loop that spins a core
    and floods the log."""

    FILES = 160
    FITTING = FILES - 64  # app/file_limit.h: at least 64 files for the rest of the process

    def cpu_seconds(self, server):
        with open(f"/proc/{server.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def test_connections_beyond_the_file_limit_are_closed_and_the_server_keeps_serving(self):
        server = Server(open_files=self.FILES)
        held = []
        try:
            self.assertIn(f"max_connections lowered from 4096 to {self.FITTING}", server.read_log())
            for _ in range(2 * self.FITTING):
                held.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
            time.sleep(0.5)
            cpu = self.cpu_seconds(server)
            time.sleep(1.0)
            self.assertLess(self.cpu_seconds(server) - cpu, 0.3, "the server spins while connections are held")
            readable, _, _ = select.select(held, [], [], 0.2)  # the server closed them: EOF is readable
            closed = sum(1 for s in readable if s.recv(1) == b"")
            opened = len(held)
            self.assertEqual(closed, opened - self.FITTING)  # counted at accept: exactly the surplus
            for s in held:
                s.close()
            held = []
            st, _, body = server.request("GET", "/_causeway/health")
            self.assertEqual(st, 200, body)
            st, _, metrics = server.request("GET", "/_causeway/metrics",
                                            {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")})
            self.assertEqual(st, 200)
            rejected = int(re.search(rb"causeway_connections_rejected_total (\d+)", metrics).group(1))
            self.assertGreaterEqual(rejected, opened - self.FITTING)
            self.assertLessEqual(server.read_log().count("accept failed"), 1)
        finally:
            for s in held:
                s.close()
            server.close()

if __name__ == "__main__":
    unittest.main()
