"""Several nodes (issue 11): three real `causeway` processes on one throw-away PostgreSQL
database, driven in turn as a load balancer without stickiness would drive them. Always on
PostgreSQL, whatever CAUSEWAY_E2E_STORE says (harness.Nodes); skipped only without its binaries.

SeveralNodes (all three alive): a CSRF token and session fetched on node 1 work on nodes 2 and 3
(curl with one cookie jar, as the seed script does); jobs scheduled round robin run once each
and are seen by every node at once; failed logons on two nodes lock the user on the third;
run-time changes of a case-exchange system's URL and of the Focused Build customizing reach
every node's outbox within seconds (and a section changed on one node builds on another's).
WorkItemsDuringAHandover: a work item created on one node while another hands its package over is
pushed exactly once.
DemoOnEveryNode: three nodes that start at the same moment with every demo on all start, and the
store holds each demo object once.
DeadNode: node 3 is killed (kill -9) while it runs long jobs, has jobs waiting and has accepted
outbox messages that its receiver refused (503): the survivors end its running jobs in A once
its lease expired, run its waiting jobs once, and deliver its messages.

"""
import base64
import calendar
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request
from urllib.parse import quote

from harness import SERVICE, Nodes, ODataSession, PgCluster, basic, cookie_from

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECEIVER = os.path.join(ROOT, "tests", "support", "receiver.py")
ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}
PLAIN_SERVICE = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/"
TENANT = "100000002"
PUSHED = "cx.100000002.PUSHY"  # the outbox destination of the pushed system below
# Short leases so that a dead node's jobs end within seconds; renewal at most half the lease.
JOBS = {"lease_ms": 3000, "lease_renewal_ms": 500, "claim_interval_ms": 100, "recovery_interval_ms": 200}
WORKERS = 4  # [jobs] workers of the harness' configuration

# A job that holds its worker and writes "<pid> <parent pid>" into P_DIR/<JobName> at each start:
# the parent is the node that runs it, and the line count is the number of starts.
HOLD = """
[[jobs.templates]]
name = "ZE2E_HOLD"
text = "e2e: holds a worker"
[[jobs.templates.steps]]
kind = "command"
text = "sleep in a shell"
argv = ["/bin/sh", "-c", "echo \\"$$ $PPID\\" >> \\"$CW_PARAM_P_DIR/$CW_JOB_NAME\\"; exec sleep 300"]
[[jobs.templates.parameters]]
name = "P_DIR"
step = 1
default = "/nonexistent"
"""

# Case exchange with a system that is pushed to through the outbox; the other nodes' lease sweep
# (which also re-reads pause flags) runs every second.
CASE_EXCHANGE = """
[case_exchange]
hash_iterations = 1000

[[case_exchange.tenants]]
id = "100000002"
name = "e2e"

[[case_exchange.tenants.external_systems]]
id = "PUSHY"
description = "push receiver"
authorized_user = "sx.pushy"
url = "{url}"

[[case_exchange.tenants.groups]]
id = "20001"
name = "Internal"

[[case_exchange.tenants.groups]]
id = "20005"
name = "Push team"
external_system = "PUSHY"

[[case_exchange.tenants.people]]
id = "10010"
login = "ana.agent"
password = "Welcome1!"
roles = ["agent"]

[[case_exchange.tenants.people]]
id = "10050"
login = "sx.pushy"
password = "Welcome1!"

[outbox]
lease_sweep_s = 1
"""


# A small Focused Build customizing: one destination, one status profile, the three process types.
FB_PROFILE = {"name": "P", "initial": "E0001", "statuses": [{"code": "E0001", "text": "Open"}]}
FB_CUSTOMIZING = {
    "destinations": [{"name": "TOOL", "protocol": "http", "host": "127.0.0.1", "port": 9, "path_prefix": "/a"}],
    "status_profiles": [FB_PROFILE],
    "process_types": [{"code": c, "text": c, "status_profile": "P"} for c in ("S1IT", "S1CG", "S1MJ")]}


def cheap_hash(password, iterations=100):
    """A `password_hash` (security/password_hash.h) with few iterations: quick logons."""
    salt = os.urandom(16)
    key = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"pbkdf2-sha256${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


RACE_USERS = [f"LOCKRACE{i}" for i in range(1, 9)]
EXTRA_USERS = "".join(f"""
[[users]]
name = "{name}"
kind = "communication"
password_hash = "{cheap_hash("Welcome1!")}"
scenarios = ["SAP_COM_0064"]
""" for name in RACE_USERS)


CLUSTER = None  # one PostgreSQL cluster for the module; each class has a database of its own


def setUpModule():
    global CLUSTER
    PgCluster.require()
    CLUSTER = PgCluster()


def tearDownModule():
    if CLUSTER:
        CLUSTER.stop()


def param(name, value, step=1):
    return {"STEP_NR": step, "NAME": name, "T_VALUE": [{"SIGN": "I", "OPTION": "EQ", "LOW": str(value), "HIGH": ""}]}


def pid_alive(pid):
    """False once the process is gone or a zombie (an init that does not reap must not matter)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, what, timeout=20.0, interval=0.02):
    """Polls `condition` until it returns something true; fails naming `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def parse_utc(text):
    """Unix seconds of an ISO 8601 UTC time of the control plane ("2026-01-02T03:04:05.678Z")."""
    base, _, frac = text.rstrip("Z").partition(".")
    return calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S")) + (float("0." + frac) if frac else 0.0)


def log_texts(session, name, count):
    """Every job log message of a job, in order, read through `session`'s node."""
    url = (SERVICE + f"JobHeaderSet(JobName='{name}',JobRunCount='{count}')"
           "?$expand=JobStepSet/JobStepLogInfoSet/JobLogMessageSet&$format=json")
    st, _, body = session.server.request("GET", url, session.auth)
    assert st == 200, (st, body)
    texts = []
    for step in json.loads(body)["d"]["JobStepSet"]["results"]:
        for log in step["JobStepLogInfoSet"]["results"]:
            texts += [m["MsgText"] for m in log["JobLogMessageSet"]["results"]]
    return texts


class Receiver:
    """tests/support/receiver.py: the external system the outbox pushes to."""

    def __init__(self, *rules):
        args = [sys.executable, RECEIVER]
        for rule in rules:
            args += ["--rule", json.dumps(rule)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        self.url = json.loads(self.proc.stdout.readline())["url"]

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + "/_receiver/" + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read()
        return json.loads(text) if text else None

    def pushes(self, after_seq=0):
        """(seq, change id, operation, idempotency key) of every push received after `after_seq`."""
        out = []
        for r in self.control("GET", "requests?path=/cx")["requests"]:
            if r["seq"] <= after_seq:
                continue
            entity = json.loads(r["body"])["entities"][0]
            key = next((v for k, v in r["headers"] if k.lower() == "idempotency-key"), None)
            out.append((r["seq"], entity["properties"]["Id"], entity["ext_properties"]["Operation"], key))
        return out

    def last_seq(self):
        return max((r["seq"] for r in self.control("GET", "requests")["requests"]), default=0)

    def close(self):
        self.proc.terminate()
        self.proc.wait()
        self.proc.stdout.close()


class Agent:
    """An agent of the case-exchange tenant who logs on before every call, on one node."""

    def __init__(self, server):
        self.server = server

    def call(self, method, path, body=None):
        st, _, token = self.server.request(
            "POST", f"/auth/authentication-endpoint/authenticate/token?TENANTID={TENANT}",
            {"Content-Type": "application/json"}, json.dumps({"Login": "ana.agent", "Password": "Welcome1!"}))
        if st != 200:
            return st, token
        headers = {"Cookie": f"TENANTID={TENANT}; LWSSO_COOKIE_KEY={token.decode()}"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        st, _, answer = self.server.request(method, f"/rest/{TENANT}/{path}", headers,
                                            json.dumps(body) if body is not None else None)
        return st, answer

    def pushed_change(self, label):
        """Creates a change, assigns it to the pushed system's group (Assign) and comments it
        (Update): (change id or None, [(step, status, answer)] of the three calls)."""
        calls = []
        st, body = self.call("POST", "ems/bulk", {"operation": "CREATE", "entities": [
            {"entity_type": "Change", "properties": {"DisplayLabel": label, "OwningGroup": "20001"}}]})
        calls.append(("create", st, body))
        if st != 200:
            return None, calls
        cid = json.loads(body)["entity_result_list"][0]["entity"]["properties"]["Id"]
        st, body = self.call("POST", "ems/bulk", {"operation": "UPDATE", "entities": [
            {"entity_type": "Change", "properties": {"Id": cid, "OwningGroup": "20005"}}]})
        calls.append(("assign", st, body))
        st, body = self.call("POST", f"collaboration/comments/Change/{cid}", {"Body": f"{label}: note"})
        calls.append(("comment", st, body))
        return cid, calls


def outgoing(server, cid):
    """The operations the store holds for the pushed system of one change, in order."""
    st, _, body = server.request("GET", f"/_causeway/cx/tenants/{TENANT}/changes/{cid}/operations", ADMIN)
    assert st == 200, (st, body)
    return [o["operation"] for o in json.loads(body)["outgoing"] if o["system"] == "PUSHY"]


def outbox_messages(server):
    st, _, body = server.request("GET", f"/_causeway/outbox/messages?destination={PUSHED}&limit=500", ADMIN)
    assert st == 200, (st, body)
    return json.loads(body)["messages"]


class PushChecks:
    """Assertions on what the receiver got, shared by both classes."""

    def assert_pushed_in_order(self, receiver, truth, after_seq, deadline):
        """Every operation of `truth` ({change id: [operation…]}) reaches the receiver by
        `deadline` (monotonic), in order per change; a repeat (at least once) only directly after
        the same message, with the same Idempotency-Key."""
        got = {}

        def arrived():
            got.clear()
            for _, cid, op, key in receiver.pushes(after_seq):
                got.setdefault(cid, []).append((op, key))
            return all(len({k for _, k in got.get(cid, [])}) >= len(ops) for cid, ops in truth.items())

        while not arrived() and time.monotonic() < deadline:
            time.sleep(0.05)
        for cid, ops in truth.items():
            received = got.get(cid, [])
            collapsed = [p for i, p in enumerate(received) if i == 0 or p != received[i - 1]]
            self.assertEqual([op for op, _ in collapsed], ops, f"change {cid}: pushes {received}, store {ops}")
            self.assertEqual(len({k for _, k in collapsed}), len(collapsed), f"change {cid}: {received}")


class SeveralNodes(PushChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.receiver = Receiver()
        try:
            cls.nodes = Nodes(3, CLUSTER.database("several_nodes"), settings={"jobs": JOBS},
                              extra_users=EXTRA_USERS, extra_config=CASE_EXCHANGE.format(url=cls.receiver.url + "/cx"))
        except BaseException:
            cls.receiver.close()
            raise
        cls.work = tempfile.mkdtemp(prefix="causeway-nodes-")

    @classmethod
    def tearDownClass(cls):
        cls.nodes.close()
        cls.receiver.close()
        shutil.rmtree(cls.work, ignore_errors=True)

    def curl(self, *args):
        p = subprocess.run(["curl", "-sS", "--max-time", "30", *args], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_csrf_token_and_session_of_one_node_work_on_the_others(self):
        jar = os.path.join(self.work, "cookies.txt")
        n1, n2, n3 = self.nodes
        # Node 1: the token fetch with Basic, the session cookie into the jar.
        head = self.curl("-D", "-", "-o", "/dev/null", "-c", jar, "-u", "JOB_SCHEDULER:Welcome1!",
                         "-H", "X-CSRF-Token: Fetch", f"{n1.base}{PLAIN_SERVICE}")
        self.assertRegex(head, r"^HTTP/1\.1 200")
        token = re.search(r"(?mi)^x-csrf-token: *(\S+)\r?$", head).group(1)
        scheduled = []
        # Node 2 with the session alone (no credentials), node 3 with Basic and the session.
        for k, node, auth in ((2, n2, []), (3, n3, ["-u", "JOB_SCHEDULER:Welcome1!"])):
            url = (f"{node.base}{PLAIN_SERVICE}JobSchedule?JobTemplateName='ZCW_DEMO_NOOP'"
                   f"&JobText='csrf%20node%20{k}'&JobUser='PLANNER'&$format=json")
            out = self.curl("-w", "\n%{http_code}", "-b", jar, "-X", "POST", "-H", f"X-CSRF-Token: {token}", *auth, url)
            body, code = out.rsplit("\n", 1)
            self.assertEqual(code, "200", body)
            d = json.loads(body)["d"]
            scheduled.append((d["JobName"], d["JobRunCount"]))
        # Both jobs are the session user's, seen from node 1 with the cookie alone.
        with open(jar) as f:  # Netscape format: domain, flag, path, secure, expiry, name, value
            cookie = "; ".join("=".join(line.split("\t")[5:7]) for line in f.read().splitlines()
                               if line.count("\t") == 6 and "\tSAP_SESSIONID_" in line)
        for name, count in scheduled:
            st, _, body = n1.request("GET", PLAIN_SERVICE + f"JobStatusGet?JobName='{name}'&JobRunCount='{count}'"
                                     "&$format=json", {"Cookie": cookie})
            self.assertEqual(st, 200, body)
            self.assertIn(json.loads(body)["d"]["JobStatus"], {"Y", "R", "F"})
        # Still checked on every node: a wrong token, and node 1's token with another session.
        cancel = PLAIN_SERVICE + "JobCancel?JobName='00000000000000000000000000000000'&JobRunCount='00000000'"
        st, _, body = n2.request("POST", cancel, {"Cookie": cookie, "X-CSRF-Token": "AAAAAAAAAAAAAAAAAAAAAA=="})
        self.assertEqual((st, body), (403, b"CSRF token validation failed"))
        st, h, _ = n2.request("HEAD", PLAIN_SERVICE, {"Authorization": basic("JOB_SCHEDULER", "Welcome1!"),
                                                      "X-CSRF-Token": "Fetch"})
        other_cookie = cookie_from(h, "SAP_SESSIONID_")
        self.assertNotEqual(other_cookie, cookie)
        st, _, body = n3.request("POST", cancel, {"Cookie": other_cookie, "X-CSRF-Token": token})
        self.assertEqual((st, body), (403, b"CSRF token validation failed"))
        st, _, body = n3.request("POST", cancel, {"Cookie": cookie, "X-CSRF-Token": token})
        self.assertEqual(st, 400, body)  # past CSRF: the service answers (unknown job)
        self.assertIn(b"APJ_RT/039", body)

    def test_jobs_scheduled_round_robin_run_once_and_every_node_sees_them(self):
        sessions = [ODataSession(n, "JOB_ADMIN") for n in self.nodes]
        text = "round robin"
        t0 = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() - 5))
        jobs = []
        for i in range(30):
            here, there = sessions[i % 3], sessions[(i + 1) % 3]
            name, count = here.schedule("ZCW_DEMO_CHAIN", text=text, simple=[param("P_SECONDS", 0, step=2)])
            # The next request, on the next node, knows the job.
            st, status = there.status(name, count)
            self.assertEqual(st, 200, f"job {name} scheduled on {here.server.base} unknown to {there.server.base}")
            self.assertIn(status, {"Y", "R", "F"})
            jobs.append((name, count))
        # Those status reads ran on the nodes' I/O threads, parked on the change feed's barrier
        # (no worker waited for PostgreSQL), and still saw the other node's job at once.
        self.assertGreater(sum(self.parked(n) for n in self.nodes), 0)
        t1 = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + 5))
        for i, (name, count) in enumerate(jobs):
            self.assertEqual(sessions[(i + 2) % 3].wait_status(name, count, {"F", "A", "C"}), "F", name)
        for s in sessions:
            for name, count in jobs:
                self.assertEqual(s.status(name, count), (200, "F"))
            st, _, body = s.server.request("GET", SERVICE + f"JobListGet?CreationTimeFrom=datetime'{t0}'"
                                           f"&CreationTimeTo=datetime'{t1}'&JobText='{quote(text)}'&$format=json",
                                           s.auth)
            self.assertEqual(st, 200, body)
            listed = {(r["JobName"], r["JobRunCount"]) for r in json.loads(body)["d"]["results"]}
            self.assertEqual(listed, set(jobs), f"JobListGet on {s.server.base}")
        for i, (name, count) in enumerate(jobs):
            texts = log_texts(sessions[i % 3], name, count)
            self.assertEqual(texts.count("Job started"), 1, (name, texts))
            self.assertEqual([t for t in texts if t.startswith("Step ") and " started" in t],
                             ["Step 1 started (noop, ZCW_PREPARE)", "Step 2 started (sleep, ZCW_PROCESS)",
                              "Step 3 started (noop, ZCW_FINALIZE)"], name)

    def parked(self, node):
        st, _, metrics = node.request("GET", "/_causeway/metrics", ADMIN)
        self.assertEqual(st, 200, metrics)
        for line in metrics.decode().splitlines():
            if line.startswith("causeway_requests_parked_total "):
                return int(line.split()[1])
        self.fail("no causeway_requests_parked_total in the metrics")

    def logon(self, node, user, password):
        return node.request("GET", SERVICE, {"Authorization": basic(user, password)})[0]

    def locked(self, node, user):
        st, _, body = node.request("GET", "/_causeway/users", ADMIN)
        self.assertEqual(st, 200, body)
        return {u["name"]: u for u in json.loads(body)["users"]}[user]["locked"]

    def test_failed_logons_on_two_nodes_lock_the_user_on_the_third(self):
        # [security] max_failed_logons = 3: the third consecutive failure locks (counted in the store).
        n1, n2, n3 = self.nodes
        self.assertEqual([self.logon(n1, "LOCKME", "wrong") for _ in range(2)], [401, 401])
        self.assertFalse(self.locked(n1, "LOCKME"), "two failures must not lock")
        self.assertEqual(self.logon(n2, "LOCKME", "wrong"), 401)
        self.assertTrue(self.locked(n2, "LOCKME"), "the third failure, on another node, locks")
        # Node 3 counted nothing itself; it learns the lock from the store (within a second).
        wait_for(lambda: self.locked(n3, "LOCKME"), "node 3 to see the lock", timeout=10)
        self.assertEqual(self.logon(n3, "LOCKME", "Welcome1!"), 401)
        wait_for(lambda: self.locked(n1, "LOCKME"), "node 1 to see the lock", timeout=10)
        self.assertEqual(self.logon(n1, "LOCKME", "Welcome1!"), 401)
        # An unlock on node 3 reaches node 1.
        st, _, body = n3.request("POST", "/_causeway/users/LOCKME/unlock", ADMIN)
        self.assertEqual(st, 200, body)
        wait_for(lambda: self.logon(n1, "LOCKME", "Welcome1!") == 200, "the unlock on node 1", timeout=10)

    def test_a_success_on_another_node_ends_the_run_of_failures(self):
        """SAP's rule is consecutive failed logons since the last success: a success on node 3
        right after failures on nodes 1 and 2 (which node 3 has not refreshed yet) resets the
        stored count, so the next failure does not lock. Eight users, so that a refresh landing
        in the window of some of them cannot hide a regression."""
        n1, n2, n3 = self.nodes
        locked = []
        for user in RACE_USERS:
            codes = [self.logon(n1, user, "wrong"), self.logon(n2, user, "wrong"),
                     self.logon(n3, user, "Welcome1!"), self.logon(n1, user, "wrong")]
            self.assertEqual(codes, [401, 401, 200, 401], user)
            if self.locked(n1, user):
                locked.append(user)
        self.assertEqual(locked, [], "locked after one failure since a successful logon")

    def test_every_node_accepts_edits_that_push_through_the_outbox(self):
        """Edits on every node enqueue outbox messages: their ids come from the store in blocks,
        so no node takes an id another node took (a per-process counter made the second node's
        push fail with 409 CAUSEWAY/STORE/001, duplicate key)."""
        after = self.receiver.last_seq()
        changes, failures = [], []
        for i, node in enumerate(self.nodes):
            for j in range(2):
                cid, calls = Agent(node).pushed_change(f"node {i + 1} change {j}")
                failures += [(node.base, step, st, body[:200]) for step, st, body in calls if st != 200]
                if cid:
                    changes.append(cid)
        self.assertEqual(failures, [])
        truth = {cid: outgoing(self.nodes[0], cid) for cid in changes}
        self.assertTrue(all(ops == ["Assign", "Update"] for ops in truth.values()), truth)
        self.assert_pushed_in_order(self.receiver, truth, after, time.monotonic() + 20)


    def destination_url(self, node, name):
        st, _, body = node.request("GET", "/_causeway/outbox/destinations", ADMIN)
        self.assertEqual(st, 200, body)
        return next((d["base_url"] for d in json.loads(body)["destinations"] if d["name"] == name), None)

    def test_run_time_changes_reach_every_node_within_seconds(self):
        """What a module keeps in memory from run-time changes follows a change taken by another
        node (the nodes' refresh, every second): a case-exchange system's push URL (the outbox
        destination every node delivers to, whichever accepted the message) and the Focused Build
        customizing (its RFC destination and its inbound status mapping)."""
        n1, n2, n3 = self.nodes
        system = {"description": "moved at run time", "authorized_user": "sx.pushy"}
        name = "cx.100000002.MOVER"
        for node, url in ((n1, "http://127.0.0.1:9/first"), (n2, "http://127.0.0.1:9/second")):
            st, _, body = node.request("PUT", f"/_causeway/cx/tenants/{TENANT}/systems/MOVER",
                                       {**ADMIN, "Content-Type": "application/json"}, json.dumps({**system, "url": url}))
            self.assertEqual(st, 200, body)
            self.assertEqual(self.destination_url(node, name), url, "the node that took the change")
            for other in self.nodes:
                wait_for(lambda: self.destination_url(other, name) == url, f"{url} on {other.base}", timeout=10)

        # Focused Build: a customizing stored on node 1 is the base of a section changed on node 2
        # right after (the control plane merges into the stored one, not a stale copy), and node
        # 3's outbox follows both within seconds.
        profile, customizing = FB_PROFILE, FB_CUSTOMIZING
        json_admin = {**ADMIN, "Content-Type": "application/json"}
        st, _, body = n1.request("PUT", "/_causeway/fb/customizing", json_admin, json.dumps(customizing))
        self.assertEqual(st, 200, body)
        moved = [{**customizing["destinations"][0], "path_prefix": "/b"}]
        st, _, body = n2.request("PUT", "/_causeway/fb/customizing/destinations", json_admin, json.dumps(moved))
        self.assertEqual(st, 200, body)
        for node in self.nodes:  # node 1 and node 3 by their refresh alone
            wait_for(lambda: self.destination_url(node, "TOOL") == "http://127.0.0.1:9/b", f"TOOL on {node.base}",
                     timeout=10)
        st, _, body = n3.request("GET", "/_causeway/fb/customizing", ADMIN)
        self.assertEqual(st, 200, body)
        stored = json.loads(body)
        self.assertEqual([d["path_prefix"] for d in stored["destinations"]], ["/b"])
        self.assertEqual([p["code"] for p in stored["process_types"]], ["S1IT", "S1CG", "S1MJ"], "node 1's sections kept")

    def test_sections_changed_at_once_through_several_nodes_are_all_kept(self):
        """Three admins change three sections of the Focused Build customizing at the same time,
        round robin over the nodes: a section is merged into the stored customizing and stored
        only if that is still the one stored (else merged into the newer one), so no change
        answered 200 is undone by another's stale merge."""
        profile, customizing = FB_PROFILE, FB_CUSTOMIZING
        json_admin = {**ADMIN, "Content-Type": "application/json"}
        st, _, body = self.nodes[0].request("PUT", "/_causeway/fb/customizing", json_admin, json.dumps(customizing))
        self.assertEqual(st, 200, body)
        rounds = 30

        def destinations(i):
            return [{**customizing["destinations"][0], "path_prefix": f"/d{i}"}]

        def status_profiles(i):
            return [{**profile, "statuses": [{"code": "E0001", "text": f"Open {i}"}]}]

        def process_types(i):
            return [{**t, "text": f"{t['code']} {i}"} for t in customizing["process_types"]]

        failures = []

        def admin(section, make, first_node):
            for i in range(rounds):
                node = self.nodes[(first_node + i) % len(self.nodes)]
                st, _, body = node.request("PUT", f"/_causeway/fb/customizing/{section}", json_admin,
                                           json.dumps(make(i)))
                if st != 200:
                    failures.append((section, i, st, body))

        threads = [threading.Thread(target=admin, args=args) for args in
                   (("destinations", destinations, 0), ("status_profiles", status_profiles, 1),
                    ("process_types", process_types, 2))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(failures, [])
        last = rounds - 1
        for node in self.nodes:
            st, _, body = node.request("GET", "/_causeway/fb/customizing", ADMIN)  # refreshes first
            self.assertEqual(st, 200, body)
            stored = json.loads(body)
            self.assertEqual([d["path_prefix"] for d in stored["destinations"]], [f"/d{last}"], node.base)
            self.assertEqual([s["text"] for s in stored["status_profiles"][0]["statuses"]], [f"Open {last}"], node.base)
            self.assertEqual([t["text"] for t in stored["process_types"]], [f"S1IT {last}", f"S1CG {last}", f"S1MJ {last}"],
                             node.base)


class DeadNode(PushChecks, unittest.TestCase):
    """kill -9 of node 3 while it runs long jobs, has jobs waiting for a worker, and has accepted
    outbox messages its receiver refused (503, Retry-After) — set up once, checked per aspect."""

    @classmethod
    def setUpClass(cls):
        cls.receiver = Receiver({"path": "/cx", "status": 503, "headers": {"Retry-After": "3"}})
        try:
            cls.nodes = Nodes(3, CLUSTER.database("dead_node"), settings={"jobs": JOBS},
                              extra_config=HOLD + CASE_EXCHANGE.format(url=cls.receiver.url + "/cx"))
        except BaseException:
            cls.receiver.close()
            raise
        cls.work = tempfile.mkdtemp(prefix="causeway-nodes-")
        try:
            cls.kill_node_3()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.nodes.close()
        cls.receiver.close()
        shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def starts(cls, name):
        """[(pid, parent pid)] of each start of a ZE2E_HOLD job."""
        try:
            with open(os.path.join(cls.work, name)) as f:
                return [tuple(int(x) for x in line.split()) for line in f.read().splitlines()]
        except OSError:
            return []

    @classmethod
    def kill_node_3(cls):
        n1, n2, n3 = cls.nodes
        cls.sessions = [ODataSession(n, "JOB_ADMIN") for n in cls.nodes]
        # Every worker of every node holds a job (round robin; whichever node claims it).
        holds = [cls.sessions[i % 3].schedule("ZE2E_HOLD", text="hold", simple=[param("P_DIR", cls.work)])
                 for i in range(3 * WORKERS)]
        wait_for(lambda: all(cls.starts(n) for n, _ in holds), "every hold job to start")
        for name, count in holds:
            assert cls.sessions[0].status(name, count) == (200, "R"), name
        pid_of = {n.proc.pid: i for i, n in enumerate(cls.nodes)}
        cls.holds_by_node = {0: [], 1: [], 2: []}
        for name, count in holds:
            (pid, parent), = cls.starts(name)
            cls.holds_by_node[pid_of[parent]].append((name, count, pid))
        assert all(len(v) == WORKERS for v in cls.holds_by_node.values()), cls.holds_by_node
        # Jobs accepted by node 3 that wait for a worker (none is free anywhere).
        cls.waiting = [cls.sessions[2].schedule("ZCW_DEMO_NOOP", text="waiting") for _ in range(6)]
        for name, count in cls.waiting:
            assert cls.sessions[0].status(name, count) == (200, "Y"), name
        # Outbox messages accepted by node 3 that its receiver refused: none may be in flight at
        # the kill (a claim's lease lasts at least 2 × total_timeout + 1 min, 2 min here: the
        # takeover of messages in flight would outlast this test), so wait until every key's head
        # was refused once and its next attempt is at least a second and a half away.
        cls.push_calls, cls.pushed = [], []
        agent = Agent(n3)
        for j in range(3):
            cid, calls = agent.pushed_change(f"dead node change {j}")
            cls.push_calls += [(step, st, body[:200]) for step, st, body in calls]
            if cid:
                cls.pushed.append(cid)

        def quiet():
            messages = outbox_messages(n1)
            if not messages or any(m["state"] != "pending" for m in messages):
                return False
            heads = [m for m in messages if m["head"]]
            soon = time.time() + 1.5
            return all(m["attempts"] >= 1 and parse_utc(m["not_before"]) > soon for m in heads)

        try:
            wait_for(quiet, "node 3's pushes to be refused once and not in flight", timeout=15)
            cls.outbox_quiet = True
        except AssertionError:
            cls.outbox_quiet = False  # reported by the outbox case; the job cases do not depend on it
        cls.dead_pid = n3.proc.pid
        n3.kill9()
        cls.killed_at = time.monotonic()
        # The receiver is back; only what it gets from now on counts.
        cls.receiver.control("PUT", "rules", [])
        cls.receiver_seq = cls.receiver.last_seq()
        # The survivors' own hold jobs end, so that their workers are free for the waiting jobs.
        for i in (0, 1):
            for name, count, _ in cls.holds_by_node[i]:
                st, doc = cls.sessions[0].call("POST", "JobAbort", {"JobName": name, "JobRunCount": count})
                assert st == 200, (name, st, doc)

    def test_jobs_running_on_the_dead_node_end_in_A_after_its_lease_and_never_run_again(self):
        n1, n2 = self.sessions[0], self.sessions[1]
        for name, count, pid in self.holds_by_node[2]:
            # R until the lease expired, then A: never R for ever, never C, never back to Y.
            self.assertEqual(n2.wait_status(name, count, {"A", "C", "F", "Y"}, timeout=30), "A", name)
            self.assertEqual(n1.status(name, count), (200, "A"))
            texts = log_texts(n1, name, count)
            self.assertEqual(texts.count("Job started"), 1, texts)
            self.assertIn("Job was aborted due to a technical error.", texts)
            self.assertTrue(any(re.search(r"ended by node node-[12] after the lease of its node expired", t)
                                for t in texts), texts)
            self.assertEqual(self.starts(name), [(pid, self.dead_pid)], "started again after the kill")
            wait_for(lambda: not pid_alive(pid), f"the step process {pid} of the dead node to end", timeout=10)

    def test_jobs_waiting_on_the_dead_node_run_once_on_a_survivor(self):
        for name, count in self.waiting:
            self.assertEqual(self.sessions[1].wait_status(name, count, {"F", "A", "C"}, timeout=30), "F", name)
            texts = log_texts(self.sessions[0], name, count)
            self.assertEqual(texts.count("Job started"), 1, texts)
        # The survivors' aborted hold jobs ended in C after one start each.
        for i in (0, 1):
            for name, count, pid in self.holds_by_node[i]:
                self.assertEqual(self.sessions[0].wait_status(name, count, {"C", "A", "F"}), "C", name)
                self.assertEqual(len(self.starts(name)), 1, name)

    def test_outbox_messages_the_dead_node_accepted_are_delivered_by_a_survivor(self):
        """Every node knows every pushed system's destination from its start, and looks for ready
        messages it did not enqueue itself once per claim_poll_ms: the dead node's pending
        messages are delivered by a survivor, in order per record."""
        self.assertEqual([c for c in self.push_calls if c[1] != 200], [])
        self.assertTrue(self.outbox_quiet, "node 3's pushes were not all refused and pending before the kill")
        survivor = self.nodes[0]
        truth = {cid: outgoing(survivor, cid) for cid in self.pushed}
        self.assertEqual(list(truth.values()), [["Assign", "Update"]] * 3, truth)
        # Due at most 3 s after the kill (Retry-After); give a survivor that looks every second
        # (lease_sweep_s) plenty of time.
        self.assert_pushed_in_order(self.receiver, truth, self.receiver_seq, self.killed_at + 12)
        self.assertTrue(all(m["state"] == "delivered" for m in outbox_messages(survivor)))



# Every module's demo switched on; the harness' template already has [jobs] demo_templates.
DEMOS = """
[ext_integration]
demo = true

[task_activity]
demo_master_data = true

[business_agreement]
demo_master_data = true

[case_exchange]
demo_tenant = true
"""


class DemoOnEveryNode(unittest.TestCase):
    """Nodes that start at the same moment with every demo on, as a cluster's nodes share one
    configuration: each seeds what is missing, none fails because another seeded first, and the
    store holds each demo object once. Started several times over, on a fresh database each."""

    ROUNDS = 3

    def control(self, node, path):
        st, _, body = node.request("GET", path, ADMIN)
        self.assertEqual(st, 200, body)
        return json.loads(body)

    def test_nodes_that_start_together_seed_the_demo_once(self):
        for round_no in range(self.ROUNDS):
            with self.subTest(round=round_no):
                nodes = Nodes(3, CLUSTER.database(f"demo_race_{round_no}"), extra_config=DEMOS)
                try:
                    for node in nodes:
                        objects = self.control(node, "/_causeway/fb/objects")["objects"]
                        self.assertEqual(sorted((o["ticket_id"], o["process_type"]) for o in objects),
                                         [("8000013139", "S1CG"), ("8000013587", "S1IT"), ("8000013588", "S1MJ")],
                                         objects)
                        partners = [p["id"] for p in self.control(node, "/_causeway/task-activity/partners")["partners"]]
                        self.assertEqual(len(partners), len(set(partners)), partners)
                        self.assertIn("MC2471", partners)  # task activity's
                        self.assertIn("UC100001", partners)  # business agreement's
                        tenants = [t["id"] for t in self.control(node, "/_causeway/cx/tenants")["tenants"]]
                        self.assertEqual(tenants, ["100000002"])
                finally:
                    nodes.close()


class WorkItemsDuringAHandover(unittest.TestCase):
    """A work item created on one node while another node hands its package over (S1_CALL_EXT):
    whichever commits second sees the other, so the item is pushed exactly once, by its create
    or by the handover. Before, most such items were pushed by neither, and no later save
    pushed them."""

    ROUNDS = 12

    @classmethod
    def setUpClass(cls):
        cls.nodes = Nodes(2, CLUSTER.database("fb_handover_race"), extra_config="[ext_integration]\ndemo = true\n")

    @classmethod
    def tearDownClass(cls):
        cls.nodes.close()

    def fb(self, node, method, path, body=None):
        headers = {**ADMIN, "Content-Type": "application/json"}
        st, _, answer = node.request(method, "/_causeway/fb/" + path, headers,
                                     json.dumps(body) if body is not None else None)
        return st, json.loads(answer) if answer else None

    def test_an_item_created_during_its_packages_handover_is_pushed_once(self):
        partners = [{"function": "/SALM/09", "partner_no": "4000"}]
        for n in range(self.ROUNDS):
            with self.subTest(round=n):
                st, created = self.fb(self.nodes[0], "POST", "objects", {
                    "process_type": "S1IT", "description": f"race package {n}", "project": "ST_OST_SP2",
                    "partners": partners})
                self.assertIn(st, (200, 201), created)
                package = created["object"]["ticket_id"]
                out = {}
                start = threading.Barrier(2)

                def hand_over():
                    start.wait()
                    out["handover"] = self.fb(self.nodes[0], "POST", f"objects/{package}/actions/S1_CALL_EXT")

                def create_item():
                    start.wait()
                    out["item"] = self.fb(self.nodes[1], "POST", "objects", {
                        "process_type": "S1CG", "description": f"race item {n}", "package": package,
                        "partners": partners})

                threads = [threading.Thread(target=hand_over), threading.Thread(target=create_item)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
                (hst, handover), (ist, item) = out["handover"], out["item"]
                self.assertEqual(hst, 200, handover)
                self.assertIn(ist, (200, 201), item)
                ticket = item["object"]["ticket_id"]
                pushes = [p for p in handover["pushes"] + item["pushes"] if p["ticket_id"] == ticket]
                self.assertEqual([p["kind"] for p in pushes], ["create"],
                                 (ticket, handover["pushes"], handover["not_pushed"], item["pushes"], item["not_pushed"]))
                st, stored = self.fb(self.nodes[1], "GET", f"objects/{ticket}")
                self.assertEqual(st, 200, stored)
                self.assertTrue(stored["object"]["handed_over"], stored)


if __name__ == "__main__":
    unittest.main()
