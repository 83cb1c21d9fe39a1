#!/usr/bin/env python3
"""A stand-in external tool for Focused Build (the role SAP's Jira connector plays), for the
end-to-end test tests/e2e/test_focused_build.py. See README.md beside it.

What it does, as the guide's chapter 3.7 and 4.5 ask of an external tool:
  * serves the create (POST …/Issues) and update (PUT …/Issues('<EXTERNAL_ID>')) calls of
    Solution Manager (Causeway) behind Basic authentication, and checks every pushed payload
    against the appendix 5.1 example (field names and order, JSON types, no nulls, dates
    YYYYMMDD, timestamps YYYYMMDDhhmmss, GUIDs): a payload that breaks a rule gets 400 and the
    rule broken is recorded;
  * answers a create with 201 and an OData V4 body carrying EXTERNAL_ID, every other field null
    (what the Olingo-based Jira connector answers); it stores TICKET_GUID and honours the
    Idempotency-Key header (a create repeated after a lost answer gets the same issue back,
    counted as a replay, never a second issue); an update gets 204;
  * after a create, downloads the document and attachment links of the payload in the
    background WITHOUT credentials, and the same link with the document id changed (tampered);
  * on request (POST /_tool/transition), sends a status change to Solution Manager the way SAP's
    Jira connector does (spec §3.3): GET of the service root with `X-CSRF-Token: Fetch` and
    `sap-client`, first without credentials (expects 401 with a Basic challenge), again with
    Basic; the token from the response header named exactly `x-csrf-token`; then PUT
    StatusSet(Guid='…') with {"Guid", "ExtStatus"}, the token, Basic and the session cookies.

Faults are rules (POST /_tool/rules): a status, headers and body for chosen attempts of a
ticket's create or update, a create answer without EXTERNAL_ID, or a gate that holds the request
until the test opens it.

Standard library only. Threaded, HTTP/1.1 keep-alive.

    fb_tool.py [--host 127.0.0.1] [--port 0] [--user SOLMAN_SYNC] [--password Welcome1!]
               [--project-key FBT] [--fixture create-work-package.json]

Prints one JSON line once it listens: {"port": N, "url": "http://127.0.0.1:N"}.
"""
import argparse
import base64
import decimal
import http.client
import json
import os
import re
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CONTROL_PREFIX = "/_tool/"
GATE_TIMEOUT_S = 60.0
DOWNLOAD_RETRY_S = 30.0  # how long a download waits for an unreachable Solution Manager
DEFAULT_FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "golden", "ext_integration",
                               "fixtures", "create-work-package.json")
SERVICE_ROOT = "/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/"
UPDATE_PATH = re.compile(r"^(?P<set>.*/Issues)\('(?P<id>(?:[^']|'')*)'\)$")

# Formats of the appendix's fields (guide 5.1): top-level names, then names inside the arrays'
# objects; every other string is free text. "" passes (an empty value).
FORMATS = {
    "SYSTEM_GUID": r"[0-9A-F]{32}", "TICKET_GUID": r"[0-9A-F]{32}", "TICKET_ID": r"[0-9]{10}",
    "PROCESS_TYPE": r"S1IT|S1CG|S1MJ", "STATUS": r"E[0-9]{4}", "CREATED_AT": r"[0-9]{14}",
    "CHANGED_AT": r"[0-9]{14}", "PPM_START_DATE": r"[0-9]{8}", "PPM_FINISH_DATE": r"[0-9]{8}",
    "REQUESTED_GO_LIVE_DATE": r"[0-9]{8}", "FORECAST_GO_LIVE_DATE": r"[0-9]{8}",
    "ACTUAL_GO_LIVE_DATE": r"[0-9]{8}", "PPM_WAVE": r"[0-9A-F]{30,32}",
}
ELEMENT_FORMATS = {
    "GUID": r"[0-9A-F]{32}", "TIMESTAMP": r"[0-9]{14}", "CHANGE_DATE": r"[0-9]{8}", "CHANGE_TIME": r"[0-9]{6}",
    "URL": r"https?://\S+",
}


def kind_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, decimal.Decimal)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class PayloadRules:
    """The appendix 5.1 example as a schema: names in order, JSON kinds, element shapes."""

    def __init__(self, fixture_path):
        with open(fixture_path, encoding="utf-8") as f:
            self.example = json.load(f, parse_float=decimal.Decimal)

    def check(self, payload):
        problems = []
        if not isinstance(payload, dict):
            return ["the payload is not a JSON object"]
        if list(payload) != list(self.example):
            missing = [k for k in self.example if k not in payload]
            extra = [k for k in payload if k not in self.example]
            problems.append(f"fields differ from the appendix: missing {missing}, unknown {extra}"
                            if missing or extra else "fields are not in the appendix's order")
        for name, value in payload.items():
            if name in self.example:
                self._check_value(name, value, self.example[name], problems)
        return problems

    def _check_value(self, path, value, example, problems):
        leaf = path.rsplit(".", 1)[-1].split("[")[0]
        if value is None:
            problems.append(f"{path} is null")
            return
        if kind_of(value) != kind_of(example):
            problems.append(f"{path} is a {kind_of(value)}, the appendix has a {kind_of(example)}")
            return
        pattern = (ELEMENT_FORMATS if "." in path else FORMATS).get(leaf)
        if isinstance(value, str) and pattern and value != "" and not re.fullmatch(pattern, value):
            problems.append(f"{path} = {value!r} does not match {pattern}")
        if isinstance(value, list):
            shape = example[0] if example else None
            for i, element in enumerate(value):
                at = f"{path}[{i}]"
                if shape is None:
                    continue
                if not isinstance(element, dict):
                    problems.append(f"{at} is not an object")
                    continue
                if list(element) != list(shape):
                    problems.append(f"{at} has fields {list(element)}, the appendix {list(shape)}")
                for k, v in element.items():
                    if k in shape:
                        self._check_value(f"{at}.{k}", v, shape[k], problems)


class Rule:
    """Matches a push by ticket and kind (and attempt), and says how to answer it."""

    FIELDS = {"ticket_guid", "ticket_id", "kind", "attempts", "times", "status", "headers", "body",
              "omit_external_id", "gate"}

    def __init__(self, spec):
        unknown = set(spec) - self.FIELDS
        if unknown:
            raise ValueError("unknown rule fields: " + ", ".join(sorted(unknown)))
        self.spec = dict(spec)
        self.remaining = spec.get("times")

    def matches(self, kind, ticket_guid, ticket_id, attempt):
        s = self.spec
        if self.remaining is not None and self.remaining <= 0:
            return False
        if "kind" in s and s["kind"] != kind:
            return False
        if "ticket_guid" in s and s["ticket_guid"] != ticket_guid:
            return False
        if "ticket_id" in s and s["ticket_id"] != ticket_id:
            return False
        if "attempts" in s and attempt not in s["attempts"]:
            return False
        return True


class State:
    def __init__(self, args):
        self.cond = threading.Condition()
        self.user, self.password = args.user, args.password
        self.project_key = args.project_key
        self.payload_rules = PayloadRules(args.fixture)
        self.solman = None  # {"url", "user", "password", "client"}
        self.rules = []
        self.gates = {}
        self.requests = []      # every push received, in arrival order
        self.issues = {}        # EXTERNAL_ID -> issue
        self.by_guid = {}       # TICKET_GUID -> EXTERNAL_ID
        self.by_key = {}        # Idempotency-Key -> EXTERNAL_ID
        self.attempts = {}      # (kind, TICKET_GUID) -> attempts so far
        self.downloads = []
        self.transitions = []
        self.next_number = 0

    def gate(self, name):
        with self.cond:
            return self.gates.setdefault(name, threading.Event())


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def odata_error(code, message):
    """An OData V4 error body, as Olingo writes it."""
    return json.dumps({"error": {"code": code, "message": message}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fb-tool/1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fb_tool: %s\n" % (fmt % args))

    def do_ANY(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        try:
            if parts.path.startswith(CONTROL_PREFIX):
                self.control(parts, body)
            else:
                self.push(parts, body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_ANY

    def answer(self, status, body=b"", headers=None, content_type="application/json;odata.metadata=minimal"):
        self.send_response(status)
        headers = dict(headers or {})
        if body and not any(k.lower() == "content-type" for k in headers):
            headers["Content-Type"] = content_type
        for k, v in headers.items():
            self.send_header(k, str(v))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    # ---- the tool's OData service ---------------------------------------------------------------

    def push(self, parts, body):
        st = self.server.state
        if self.headers.get("Authorization", "") != basic(st.user, st.password):
            return self.answer(401, b"", {"WWW-Authenticate": 'Basic realm="fb-tool"'})
        m = UPDATE_PATH.match(parts.path)
        if self.command == "POST" and parts.path.endswith("/Issues"):
            kind, url_id = "create", None
        elif self.command in ("PUT", "PATCH") and m:
            kind, url_id = "update", m.group("id").replace("''", "'")
        else:
            return self.answer(404, odata_error("404", f"no resource for {self.command} {parts.path}"))
        try:
            payload = json.loads(body, parse_float=decimal.Decimal)
        except ValueError as e:
            payload, problems = None, [f"the body is not JSON: {e}"]
        else:
            problems = st.payload_rules.check(payload)
        payload = payload if isinstance(payload, dict) else {}
        guid, ticket = str(payload.get("TICKET_GUID", "")), str(payload.get("TICKET_ID", ""))
        with st.cond:
            key = (kind, guid)
            st.attempts[key] = attempt = st.attempts.get(key, 0) + 1
            record = {"seq": len(st.requests) + 1, "kind": kind, "method": self.command, "path": parts.path,
                      "ticket_guid": guid, "ticket_id": ticket, "process_type": payload.get("PROCESS_TYPE"),
                      "external_id": payload.get("EXTERNAL_ID"), "parent_external_id": payload.get("PARENT_EXTERNAL_ID"),
                      "url_external_id": url_id, "status_code": payload.get("STATUS"),
                      "description": payload.get("DESCRIPTION"),
                      "links": [[n, e.get("FILENAME"), e.get("EXTENSION"), e.get("URL")] for n in ("DOCUMENT", "ATTACHMENT")
                                for e in payload.get(n, []) if isinstance(e, dict)],
                      "idempotency_key": self.headers.get("Idempotency-Key"), "attempt": attempt,
                      "content_type": self.headers.get("Content-Type"), "accept": self.headers.get("Accept"),
                      "problems": problems, "arrival": time.time(), "answer": None}
            st.requests.append(record)
            rule = None
            for r in st.rules:
                if r.matches(kind, guid, ticket, attempt):
                    if r.remaining is not None:
                        r.remaining -= 1
                    rule = r.spec
                    break
            st.cond.notify_all()
        if rule and rule.get("gate"):
            st.gate(rule["gate"]).wait(GATE_TIMEOUT_S)
        if rule and "status" in rule:
            return self.answer_rule(record, int(rule["status"]), str(rule.get("body", "")).encode(), rule.get("headers"))
        if kind == "create":
            self.create(record, payload, problems, omit_id=bool(rule and rule.get("omit_external_id")))
        else:
            self.update(record, payload, problems, url_id)

    def answer_rule(self, record, status, body=b"", headers=None):
        with self.server.state.cond:
            record["answer"] = status
            self.server.state.cond.notify_all()
        self.answer(status, body, headers)

    def create(self, record, payload, problems, omit_id):
        st = self.server.state
        parent = payload.get("PARENT_EXTERNAL_ID", "")
        with st.cond:
            if payload.get("EXTERNAL_ID", "") != "":
                problems.append("a create carries EXTERNAL_ID %r" % payload.get("EXTERNAL_ID"))
            if payload.get("PROCESS_TYPE") == "S1IT" and parent != "":
                problems.append("a work package carries PARENT_EXTERNAL_ID %r" % parent)
            if payload.get("PROCESS_TYPE") in ("S1CG", "S1MJ") and parent not in st.issues:
                problems.append("PARENT_EXTERNAL_ID %r names no issue of this tool" % parent)
            if problems:
                record["answer"] = 400
                st.cond.notify_all()
                bad = True
            else:
                bad = False
                key = record["idempotency_key"] or record["ticket_guid"]
                existing = st.by_key.get(key) or st.by_guid.get(record["ticket_guid"])
                if existing:
                    issue = st.issues[existing]
                    issue["replays"] += 1
                    record["replay"] = True
                else:
                    st.next_number += 1
                    issue = {"external_id": f"{st.project_key}-{st.next_number}", "ticket_guid": record["ticket_guid"],
                             "ticket_id": record["ticket_id"], "process_type": payload.get("PROCESS_TYPE"),
                             "parent_external_id": parent, "created_seq": record["seq"], "replays": 0,
                             "updates": 0, "status": payload.get("STATUS"), "description": payload.get("DESCRIPTION")}
                    st.issues[issue["external_id"]] = issue
                    st.by_guid[record["ticket_guid"]] = issue["external_id"]
                    st.by_key[key] = issue["external_id"]
                external_id = issue["external_id"]
                record["answer"] = 201
                record["answered_external_id"] = None if omit_id else external_id
                st.cond.notify_all()
        if bad:
            return self.answer(400, odata_error("400", "; ".join(problems)))
        # The Olingo answer: the entity with EXTERNAL_ID, every other property null.
        entity = {"@odata.context": "$metadata#Issues"}
        for name in st.payload_rules.example:
            if not isinstance(st.payload_rules.example[name], list):
                entity[name] = None
        entity["EXTERNAL_ID"] = None if omit_id else external_id
        try:
            self.answer(201, json.dumps(entity).encode(),
                        {"Location": f"{record['path']}('{external_id}')", "OData-Version": "4.0"})
        finally:  # the issue exists whether or not its answer reached Solution Manager
            if not record.get("replay"):
                links = [(list_name, e) for list_name in ("DOCUMENT", "ATTACHMENT")
                         for e in payload.get(list_name, []) if isinstance(e, dict)]
                threading.Thread(target=download_all, args=(st, external_id, record["ticket_id"], links),
                                 daemon=True).start()

    def update(self, record, payload, problems, url_id):
        st = self.server.state
        with st.cond:
            issue = st.issues.get(url_id)
            if issue is None:
                problems.append(f"the update names issue {url_id!r}, which does not exist")
            else:
                if payload.get("EXTERNAL_ID") != url_id:
                    problems.append(f"EXTERNAL_ID {payload.get('EXTERNAL_ID')!r} differs from the URI's {url_id!r}")
                if payload.get("TICKET_GUID") != issue["ticket_guid"]:
                    problems.append("TICKET_GUID differs from the issue's")
                if payload.get("PARENT_EXTERNAL_ID", "") != issue["parent_external_id"]:
                    problems.append("PARENT_EXTERNAL_ID differs from the issue's")
            status = 400 if problems else 204
            if not problems:
                issue["updates"] += 1
                issue["status"] = payload.get("STATUS")
                issue["description"] = payload.get("DESCRIPTION")
            record["answer"] = status
            st.cond.notify_all()
        self.answer(status, odata_error("400", "; ".join(problems)) if problems else b"")

    # ---- the control API --------------------------------------------------------------------------

    def control(self, parts, body):
        st = self.server.state
        name = parts.path[len(CONTROL_PREFIX):].strip("/")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        try:
            doc = json.loads(body) if body.strip() else None
        except ValueError as e:
            return self.reply(400, {"error": f"body is not JSON: {e}"})
        method = self.command
        try:
            if name == "state" and method == "GET":
                with st.cond:
                    return self.reply(200, {"requests": st.requests, "issues": list(st.issues.values()),
                                            "downloads": st.downloads, "transitions": st.transitions})
            if name == "wait" and method == "GET":
                return self.wait(query)
            if name == "rules" and method in ("POST", "PUT"):
                rules = [Rule(s) for s in (doc if isinstance(doc, list) else [doc])]
                with st.cond:
                    st.rules = (st.rules if method == "POST" else []) + rules
                return self.reply(200, {"rules": len(st.rules)})
            if name == "rules" and method == "DELETE":
                with st.cond:
                    st.rules = []
                return self.reply(200, {})
            if name.startswith("gates/") and method == "POST":
                _, gate, action = (name.split("/") + ["", ""])[:3]
                event = st.gate(gate)
                event.set() if action == "open" else event.clear()
                return self.reply(200, {})
            if name == "config" and method == "POST":
                with st.cond:
                    st.solman = {"url": doc["solman_url"].rstrip("/"), "user": doc["user"],
                                 "password": doc["password"], "client": doc.get("client", "100")}
                return self.reply(200, {})
            if name == "transition" and method == "POST":
                return self.reply(200, self.transition(doc))
            if name == "refetch" and method == "POST":
                return self.reply(200, {"downloads": refetch(st)})
        except (KeyError, TypeError, ValueError) as e:
            return self.reply(400, {"error": repr(e)})
        return self.reply(404, {"error": f"unknown control resource {method} {parts.path}"})

    def wait(self, query):
        """Long poll until `requests`, `issues`, `downloads` reach the counts asked, or 408."""
        st = self.server.state
        want = {k: int(query[k]) for k in ("requests", "issues", "downloads", "answered") if k in query}
        timeout = float(query.get("timeout", 10))

        def counts():
            return {"requests": len(st.requests), "issues": len(st.issues), "downloads": len(st.downloads),
                    "answered": sum(1 for r in st.requests if r["answer"] is not None)}

        with st.cond:
            reached = st.cond.wait_for(lambda: all(counts()[k] >= n for k, n in want.items()), timeout)
            self.reply(200 if reached else 408, counts())

    def reply(self, status, doc):
        self.answer(status, json.dumps(doc, default=str).encode(), content_type="application/json")

    # ---- the status update to Solution Manager (SAP's Jira connector, SolmanClient) -------------

    def transition(self, doc):
        st = self.server.state
        with st.cond:
            solman = dict(st.solman or {})
            issue = st.issues.get(doc.get("external_id", ""))
        if not solman:
            raise ValueError("POST /_tool/config first")
        guid = doc.get("ticket_guid") or (issue or {}).get("ticket_guid")
        if not guid:
            raise ValueError("no issue %r" % doc.get("external_id"))
        result = connector_status_update(solman, guid, doc["status"])
        result.update({"external_id": doc.get("external_id"), "ticket_guid": guid, "ext_status": doc["status"]})
        with st.cond:
            st.transitions.append(result)
            st.cond.notify_all()
        return result


class Connection:
    """One HTTP(S) connection with a cookie store, as the connector's CloseableHttpClient."""

    def __init__(self, base_url):
        u = urlsplit(base_url)
        self.tls = u.scheme == "https"
        self.host, self.port = u.hostname, u.port or (443 if self.tls else 80)
        self.cookies = {}
        self.conn = None

    def request(self, method, path, headers, body=None):
        headers = dict(headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for retry in (0, 1):
            if self.conn is None:
                if self.tls:
                    self.conn = http.client.HTTPSConnection(self.host, self.port, timeout=30,
                                                            context=ssl._create_unverified_context())
                else:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if retry:
                    raise
        raw_headers = r.getheaders()  # names as the server wrote them
        for k, v in raw_headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return r.status, raw_headers, data

    def close(self):
        if self.conn:
            self.conn.close()


def step_record(name, method, path, sent, status, headers, body):
    return {"step": name, "method": method, "path": path, "sent_headers": sorted(sent),
            "status": status, "headers": headers, "body": body.decode("utf-8", errors="replace")}


def connector_status_update(solman, guid, ext_status):
    """SolmanClient's flow: token fetch (non-preemptive Basic), then the PUT with the cookies."""
    c = Connection(solman["url"])
    auth = basic(solman["user"], solman["password"])
    steps = []
    try:
        fetch = {"X-CSRF-Token": "Fetch", "sap-client": solman["client"], "Accept": "application/json"}
        st, h, body = c.request("GET", SERVICE_ROOT, fetch)
        steps.append(step_record("fetch-unauthenticated", "GET", SERVICE_ROOT, fetch, st, h, body))
        if st != 401:
            return {"outcome": "unexpected", "steps": steps, "status": st}
        fetch["Authorization"] = auth
        st, h, body = c.request("GET", SERVICE_ROOT, fetch)
        steps.append(step_record("fetch", "GET", SERVICE_ROOT, fetch, st, h, body))
        token = next((v for k, v in h if k == "x-csrf-token"), None)  # exactly this name, as SolmanClient
        if st != 200 or not token:
            return {"outcome": "no-token", "steps": steps, "status": st}
        path = f"{SERVICE_ROOT}StatusSet(Guid='{guid}')"
        put = {"Accept": "application/json", "Content-type": "application/json; charset=utf-8",
               "X-CSRF-Token": token, "sap-client": solman["client"], "Authorization": auth}
        payload = json.dumps({"Guid": guid, "ExtStatus": ext_status})  # Guid first, as the connector
        st, h, body = c.request("PUT", path, put, payload.encode("utf-8"))
        steps.append(step_record("put", "PUT", path, put, st, h, body))
        steps[-1]["cookies_sent"] = sorted(c.cookies)
        # HttpUtils: >= 300 is an error; 400-428 and -1 are "communication errors" (retried),
        # everything else an "application error" (a person is told).
        outcome = "synced" if st < 300 else ("communication-error" if 400 <= st <= 428 else "application-error")
        return {"outcome": outcome, "steps": steps, "status": st, "body": body.decode("utf-8", errors="replace")}
    except OSError as e:
        return {"outcome": "communication-error", "steps": steps, "status": -1, "error": repr(e)}
    finally:
        c.close()


def tampered(url):
    """The link with its document id's last character changed (signature kept)."""
    u = urlsplit(url)
    m = re.search(r"(_LOIO|docId)=([0-9A-Fa-f]+)", u.query)
    if not m:
        return None
    old = m.group(2)
    new = old[:-1] + ("0" if old[-1] != "0" else "1")
    return url.replace(f"{m.group(1)}={old}", f"{m.group(1)}={new}", 1)


def fetch(url, retry_s=0.0):
    """A plain GET of the link: no credentials, no cookies (what the tool does with it). Retries
    a refused or broken connection for `retry_s` (Solution Manager may be restarting)."""
    end = time.monotonic() + retry_s
    while True:
        out = fetch_once(url)
        if out[0] != -1 or time.monotonic() > end:
            return out
        time.sleep(0.05)


def fetch_once(url):
    u = urlsplit(url)
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    kwargs = {"context": ssl._create_unverified_context()} if u.scheme == "https" else {}
    c = cls(u.hostname, u.port, timeout=30, **kwargs)
    try:
        c.request("GET", u.path + ("?" + u.query if u.query else ""))
        r = c.getresponse()
        data = r.read()
        return r.status, r.getheader("Content-Type"), r.getheader("Content-Disposition"), data
    except OSError as e:
        return -1, None, None, repr(e).encode()
    finally:
        c.close()


def download_one(external_id, ticket_id, list_name, entry):
    url = entry.get("URL", "")
    rec = {"external_id": external_id, "ticket_id": ticket_id, "list": list_name,
           "file_name": entry.get("FILENAME"), "extension": entry.get("EXTENSION"), "url": url, "at": time.time()}
    m = re.search(r"[?&]expiration=([0-9]{14})", url)
    rec["expiration"] = m.group(1) if m else None
    status, ctype, disposition, data = fetch(url, retry_s=DOWNLOAD_RETRY_S)
    rec.update({"status": status, "content_type": ctype, "content_disposition": disposition,
                "content_base64": base64.b64encode(data).decode(), "bytes": len(data)})
    bad = tampered(url)
    rec["tampered_url"] = bad
    rec["tampered_status"] = fetch(bad)[0] if bad else None
    return rec


def download_all(st, external_id, ticket_id, links):
    """Chapter 3.5/3.7: fetch every document after the create, asynchronously. Link attachments
    (EXTENSION URL) point elsewhere and are not Causeway's to serve."""
    for list_name, entry in links:
        if entry.get("EXTENSION") == "URL":
            continue
        rec = download_one(external_id, ticket_id, list_name, entry)
        with st.cond:
            st.downloads.append(rec)
            st.cond.notify_all()


def refetch(st):
    """Fetches every link downloaded so far again (they must work until they expire)."""
    with st.cond:
        earlier = [dict(d) for d in st.downloads]
    out = []
    for d in earlier:
        status, _, _, data = fetch(d["url"])
        out.append({"url": d["url"], "status": status, "same_content": base64.b64encode(data).decode() == d["content_base64"]})
    return out


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--user", default="SOLMAN_SYNC", help="the Basic user Solution Manager must send")
    p.add_argument("--password", default="Welcome1!")
    p.add_argument("--project-key", default="FBT", help="EXTERNAL_IDs are <key>-<n>")
    p.add_argument("--fixture", default=DEFAULT_FIXTURE, help="the appendix 5.1 example payload")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args(argv)
    server = Server((args.host, args.port), Handler)
    server.state = State(args)
    server.verbose = args.verbose
    port = server.server_address[1]
    print(json.dumps({"port": port, "url": f"http://{args.host}:{port}"}), flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
