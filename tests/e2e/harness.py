"""Starts the real causeway binary for end-to-end tests and talks HTTP to it.

Every test gets its own data directory and free ports (port 0, read back from --ready-file), so
tests run in parallel and leave nothing behind. Only the standard library and the curl binary
are used, so that what is tested is the wire, not a client library's forgiveness.
"""
import base64
import concurrent.futures
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

BINARY = os.environ.get("CAUSEWAY_BIN", "")
# "postgres": every Server gets its own throw-away PostgreSQL cluster (tests/support/pg_cluster.sh)
# instead of SQLite, so the whole suite runs on both back ends (scripts/test.sh does both).
STORE = os.environ.get("CAUSEWAY_E2E_STORE", "sqlite")
PG_CLUSTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support", "pg_cluster.sh")


class PgDatabase:
    """One database of a PgCluster as a Server's store (`Server(pg=…)`): its URI without the
    password, which reaches the node through `[store] password_file`."""

    def __init__(self, uri_without_password, password):
        self.uri_without_password, self.password = uri_without_password, password


class PgCluster:
    """A throw-away PostgreSQL cluster (pg_cluster.sh): one Server's own (CAUSEWAY_E2E_STORE=postgres),
    or one whose databases several Servers share (`database()`, Nodes); that caller stops it."""

    BIN_DIR = "/usr/lib/postgresql/15/bin"

    @classmethod
    def require(cls):
        """Skips the calling test unless the binary and PostgreSQL's server binaries are there."""
        if not BINARY:
            raise unittest.SkipTest("CAUSEWAY_BIN not set")
        if not os.access(os.path.join(cls.BIN_DIR, "initdb"), os.X_OK):
            raise unittest.SkipTest(f"this test needs PostgreSQL: no {cls.BIN_DIR}/initdb "
                                    "(CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh installs it)")

    def __init__(self):
        out = subprocess.run([PG_CLUSTER, "start"], capture_output=True, text=True, check=True).stdout
        env = dict(re.findall(r"export (\w+)='?([^'\n]*)'?", out))
        self.dir, self.uri = env["CAUSEWAY_PG_DIR"], env["CAUSEWAY_PG_URI"]
        self.user, self.password, self.address = re.match(
            r"postgresql://([^:@/]+):([^@]*)@([^/]+)/", self.uri).groups()
        self.port = env["CAUSEWAY_PG_PORT"]

    def database(self, name="causeway"):
        """The database `name` (created unless it is pg_cluster.sh's `causeway`)."""
        if name != "causeway":
            subprocess.run(["psql", "-X", "-q", "-h", self.dir, "-p", self.port, "-U", self.user, "-d", "postgres",
                            "-c", f'CREATE DATABASE "{name}"'], capture_output=True, text=True, check=True)
        return PgDatabase(f"postgresql://{self.user}@{self.address}/{name}", self.password)

    def stop(self):
        subprocess.run([PG_CLUSTER, "stop", self.dir], capture_output=True)


SERVICE = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/"

CONFIG = """
[server]
data_dir = "{data}"
system_id = "CWY"
default_client = "100"
log_level = "warn"
access_log = "access.log"
generate_tls = true
request_timeout_ms = {request_timeout_ms}
max_header_bytes = 16384
max_body_bytes = {max_body_bytes}

[security]
max_failed_logons = 3
session_idle_timeout_s = {idle}

[jobs]
demo_templates = true
workers = 4

[[listeners]]
address = "127.0.0.1"
port = 0

[[listeners]]
address = "127.0.0.1"
port = 0
tls = true
{client_ca}

[[users]]
name = "JOB_SCHEDULER"
kind = "communication"
password = "Welcome1!"
scenarios = ["SAP_COM_0064"]

[[users]]
name = "JOB_ADMIN"
kind = "communication"
password = "Welcome1!"
scenarios = ["SAP_COM_0064", "SAP_COM_0326"]

[[users]]
name = "LOCKME"
kind = "communication"
password = "Welcome1!"
scenarios = ["SAP_COM_0064"]

[[users]]
name = "NOARR"
kind = "communication"
password = "Welcome1!"
scenarios = []

[[users]]
name = "PLANNER"
kind = "business"
password = "Welcome1!"

[[users]]
name = "CAUSEWAY_ADMIN"
kind = "communication"
password = "Admin1!"
scenarios = ["CAUSEWAY_CONTROL"]
{extra_users}
"""


def toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value))  # a TOML basic string


def with_settings(text, settings):
    """The config text with `settings` ({table: {key: value}}) added right below each table's header."""
    for table, values in (settings or {}).items():
        lines = "".join(f"{k} = {toml_value(v)}\n" for k, v in values.items())
        text, n = re.subn(rf"(?m)^\[{re.escape(table)}\]\n", lambda m: m.group(0) + lines, text, count=1)
        if n != 1:
            raise ValueError(f"the config template has no [{table}] table")
    return text


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Server:
    """A causeway process with its own data directory."""

    def __init__(self, idle=1800, request_timeout_ms=5000, client_ca="", extra_users="", data=None, extra_config="",
                 max_body_bytes=1048576, pg=None, settings=None, open_files=None):
        """`pg`: a PgDatabase (PgCluster.database()) shared with other Servers; this one neither
        creates nor stops it. `settings`: keys added to the
        template's own tables, e.g. {"server": {"node_id": "node-1"}, "jobs": {"lease_ms": 3000}}
        (extra_config can only add tables the template does not have). `open_files`: the process'
        RLIMIT_NOFILE, soft and hard."""
        if not BINARY:
            raise unittest.SkipTest("CAUSEWAY_BIN not set")
        self.dir = data or tempfile.mkdtemp(prefix="causeway-e2e-")
        self.own_dir = data is None
        self.config = os.path.join(self.dir, "causeway.toml")
        self.config_text = with_settings(CONFIG.format(data=self.dir, idle=idle, request_timeout_ms=request_timeout_ms,
                                                       client_ca=client_ca, extra_users=extra_users,
                                                       max_body_bytes=max_body_bytes), settings) + extra_config
        self.pg = None  # a cluster of its own, stopped by close()
        if pg is not None:
            password_file = os.path.join(self.dir, "pg.password")
            with open(os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
                f.write(pg.password + "\n")
            self.config_text += (f'\n[store]\nbackend = "postgres"\nuri = "{pg.uri_without_password}"\n'
                                 f'password_file = "{password_file}"\n')
        elif STORE == "postgres":
            self.pg = PgCluster()
            self.config_text += f'\n[store]\nbackend = "postgres"\nuri = "{self.pg.uri}"\n'

        with open(self.config, "w") as f:
            f.write(self.config_text)
        self.open_files = open_files
        self.proc = None
        self.port = self.tls_port = None
        self.start()

    def start(self):
        ready = os.path.join(self.dir, "ready")
        if os.path.exists(ready):
            os.unlink(ready)
        self.log = open(os.path.join(self.dir, "server.log"), "ab")
        limit = self.open_files
        self.proc = subprocess.Popen([BINARY, "serve", "--config", self.config, "--ready-file", ready],
                                     stdout=self.log, stderr=self.log,
                                     preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)))
                                     if limit else None)
        self.started_at = time.monotonic()
        deadline = time.monotonic() + 20
        while not os.path.exists(ready):
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.read_log())
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start: " + self.read_log())
            time.sleep(0.01)
        with open(ready) as f:
            ports = f.read().split()
        self.port, self.tls_port = int(ports[0]), int(ports[1])
        self.base = f"http://127.0.0.1:{self.port}"
        self.tls_base = f"https://127.0.0.1:{self.tls_port}"

    def rss_bytes(self):
        """The process' resident set size (VmRSS of /proc/<pid>/status), or None once it has exited."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def read_log(self):
        return self.read_file("server.log")

    def read_file(self, name):
        try:
            with open(os.path.join(self.dir, name), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()
        self.log.close()

    def restart(self, kill=False):
        """Starts the server again on the same data directory and the SAME ports (recovery tests):
        the ports read back at the first start are written into the config instead of 0."""
        if self.proc and self.proc.poll() is None:
            self.kill9() if kill else self.stop()
        elif not self.log.closed:
            self.log.close()
        text = re.sub(r"(?m)^port = 0$", f"port = {self.port}", self.config_text, count=1)
        text = re.sub(r"(?m)^port = 0$", f"port = {self.tls_port}", text, count=1)
        with open(self.config, "w") as f:
            f.write(text)
        old = (self.port, self.tls_port)
        deadline = time.monotonic() + 20
        while True:  # the port may still be held briefly by the dead process' sockets
            try:
                self.start()
                break
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert (self.port, self.tls_port) == old, ((self.port, self.tls_port), old)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.log.closed:
            self.log.close()

    def close(self):
        self.stop()
        if self.pg:
            self.pg.stop()
        if self.own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def conn(self, tls=False, context=None):
        if tls:
            ctx = context or ssl._create_unverified_context()
            return http.client.HTTPSConnection("127.0.0.1", self.tls_port, timeout=30, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, headers=None, body=None, conn=None):
        """One request; returns (status, headers as list of (lower-name, value), body bytes)."""
        c = conn or self.conn()
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        hdrs = [(k.lower(), v) for k, v in r.getheaders()]
        if conn is None:
            c.close()
        return r.status, hdrs, data


class Nodes:
    """Several causeway nodes on one PostgreSQL database, whatever CAUSEWAY_E2E_STORE says: node
    ids node-1 … node-N ([server] node_id), each with its own data directory and ports.
    `database` is a PgCluster.database() to use; without one they get a cluster of their own.
    Indexable like a list; close() stops the nodes, then their own cluster. Skips (SkipTest)
    when the binary or PostgreSQL's server binaries are missing."""

    def __init__(self, count, database=None, settings=None, **server_args):
        PgCluster.require()
        self.own_cluster = PgCluster() if database is None else None
        database = database or self.own_cluster.database()
        self.servers = []

        def start(i):
            node_settings = {table: dict(values) for table, values in (settings or {}).items()}
            node_settings.setdefault("server", {})["node_id"] = f"node-{i + 1}"
            return Server(pg=database, settings=node_settings, **server_args)

        # All at once, as a cluster starts (the nodes migrate the store under an advisory lock).
        with concurrent.futures.ThreadPoolExecutor(count) as pool:
            futures = [pool.submit(start, i) for i in range(count)]
        failed = [f.exception() for f in futures if f.exception()]
        self.servers = [f.result() for f in futures if not f.exception()]
        if failed:
            self.close()
            raise failed[0]

    def __getitem__(self, i):
        return self.servers[i]

    def __iter__(self):
        return iter(self.servers)

    def __len__(self):
        return len(self.servers)

    def close(self):
        for s in self.servers:
            s.close()
        if self.own_cluster:
            self.own_cluster.stop()


ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}


class ServerCase(unittest.TestCase):
    """A test class with one server of its own, started with the class's `extra_users` and
    `extra_config`; `control()` reads the control plane as the demo's CAUSEWAY_ADMIN."""
    extra_users = ""
    extra_config = ""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_users=cls.extra_users, extra_config=cls.extra_config)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def control(self, path, expect=200):
        st, _, body = self.server.request("GET", path, ADMIN)
        self.assertEqual(st, expect, body)
        return json.loads(body)

    def access_log(self, method, path, until, user=None):
        """(user, status) of the access log's lines for `method` on `path` (its query aside), in
        order; only `user`'s when given. The server writes the log asynchronously: read again
        until `until(lines)` holds, for 5 s at most."""
        who = re.escape(user) if user else r"\S+"
        pattern = re.compile(rf'^\S+ \S+ ({who}) "{method} {re.escape(path)}[?"\S]*" (\d{{3}}) ', re.M)
        deadline = time.monotonic() + 5
        while True:
            found = [(u, int(s)) for u, s in pattern.findall(self.server.read_file("access.log"))]
            if until(found) or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def settled(self, **filters):
        """The asynchronous web-service messages of a filter (the monitor's query parameters)
        once none of them is received any more: a one-way 202 only says they are stored."""
        deadline = time.monotonic() + 30
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        while True:
            found = self.control("/_causeway/messages?limit=1000&kind=async&" + query)["messages"]
            if found and all(m["status"] != "received" for m in found):
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"messages {filters} not processed: {found}")
            time.sleep(0.02)


def build_dir():
    """The build tree the causeway binary belongs to (the directory with CMakeCache.txt), where
    tools installed for the tests are kept between runs; the temporary folder without one."""
    d = os.path.dirname(os.path.abspath(BINARY or "."))
    while d != "/" and not os.path.exists(os.path.join(d, "CMakeCache.txt")):
        d = os.path.dirname(d)
    return d if d != "/" else tempfile.gettempdir()


def npm_installed_version(target, package):
    try:
        with open(os.path.join(target, "node_modules", package, "package.json")) as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return None


def npm_dir(name, package_json, npm_args=(), exact=None):
    """`package_json`'s dependencies installed from npm into <build>/<name>, kept between runs and
    installed again only when the package.json or the npm arguments change. A failed install
    fails the test: CI reaches the npm registry. `exact` ({package: version}) is checked after an
    install, for clients whose packages must not mix versions."""
    target = os.path.join(build_dir(), name)
    wanted = json.dumps(package_json, indent=2, sort_keys=True) + "\n" + " ".join(npm_args) + "\n"
    stamp = os.path.join(target, ".causeway-npm-installed")
    try:
        with open(stamp) as f:
            if f.read() == wanted:
                return target
    except OSError:
        pass
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "package.json"), "w") as f:
        json.dump(package_json, f, indent=2)
    p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", *npm_args], cwd=target,
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        raise AssertionError(f"npm install in {target} failed:\n{p.stdout[-2000:]}{p.stderr[-3000:]}")
    wrong = {pkg: npm_installed_version(target, pkg) for pkg, v in (exact or {}).items()
             if npm_installed_version(target, pkg) != v}
    if wrong:
        raise AssertionError(f"npm installed other versions than {exact}: {wrong}")
    with open(stamp, "w") as f:
        f.write(wanted)
    return target


def header(headers, name):
    for k, v in headers:
        if k == name:
            return v
    return None


def all_headers(headers, name):
    return [v for k, v in headers if k == name]


def cookie_from(headers, prefix):
    for v in all_headers(headers, "set-cookie"):
        if v.startswith(prefix):
            return v.split(";", 1)[0]
    return None


def raw_exchange(port, data, timeout=10):
    """Sends raw bytes and returns whatever comes back until the peer closes."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer (413, 431) and stop reading before we finished sending
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def literal(value):
    """An OData V2 URI literal for a Python value (strings quoted, quotes doubled)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


class ODataSession:
    """A client that behaves like the SAP samples: HEAD fetch of the token with Basic, then the
    session cookie and token on every modifying call."""

    def __init__(self, server, user="JOB_ADMIN", password="Welcome1!"):
        from urllib.parse import quote
        self.quote = quote
        self.server = server
        self.auth = {"Authorization": basic(user, password)}
        st, h, _ = server.request("HEAD", SERVICE, dict(self.auth, **{"X-CSRF-Token": "Fetch"}))
        assert st == 200, st
        self.token = header(h, "x-csrf-token")
        self.cookie = cookie_from(h, "SAP_SESSIONID_")

    def url(self, function, params, fmt="json"):
        q = "&".join(f"{k}={self.quote(literal(v), safe=chr(39))}" for k, v in params.items())
        if fmt:
            q += ("&" if q else "") + "$format=" + fmt
        return SERVICE + function + ("?" + q if q else "")

    def call(self, method, function, params=None, fmt="json"):
        headers = dict(self.auth, Cookie=self.cookie)
        if method != "GET":
            headers["X-CSRF-Token"] = self.token
        st, h, body = self.server.request(method, self.url(function, params or {}, fmt), headers)
        if fmt == "json":
            try:
                return st, json.loads(body) if body else None
            except ValueError:
                return st, body
        return st, body

    def schedule(self, template, text="e2e", user="PLANNER", simple=None):
        params = {"JobTemplateName": template, "JobText": text, "JobUser": user}
        if simple is not None:
            params["JobParameterValuesSimple"] = json.dumps({"VALUES": simple})
        st, doc = self.call("POST", "JobSchedule", params)
        assert st in (200, 201), (st, doc)
        return doc["d"]["JobName"], doc["d"]["JobRunCount"]

    def status(self, name, count):
        st, doc = self.call("GET", "JobStatusGet", {"JobName": name, "JobRunCount": count})
        if st != 200:
            return st, doc
        return st, doc["d"]["JobStatus"]

    def wait_status(self, name, count, until, timeout=30):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            st, last = self.status(name, count)
            if st == 200 and last in until:
                return last
            time.sleep(0.02)
        raise AssertionError(f"job {name}/{count} did not reach {until}: last {last}")
