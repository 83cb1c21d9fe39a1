"""Case exchange end to end, the way integration middleware (HPE Service Exchange and its
successors) works against a Service Management tenant (spec B.6): an external system written here
in plain Python logs on before every call, polls GET /rest/<tenant>/ces with a watermark (the Date
header of the previous answer as the next `time`), pages with skip/size, and answers what it
sees with incoming operations (Update with its ExternalId and a comment). Meanwhile an agent
drives changes through EMS (assign to the external group, comments, withdraw). The server is
killed (kill -9) and restarted in the middle. At the end, every outgoing operation the control
plane lists was seen by the external system in order per record (at least once, repeats only
from re-read seconds), every link survived, and a second system configured with a URL got every
one of its operations pushed through the outbox, in order per record.
"""
import email.utils
import json
import os
import subprocess
import sys
import threading
import time
import unittest
import urllib.parse
import urllib.request

from harness import BINARY, STORE, Server, basic, header

TENANT = "100000002"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECEIVER = os.path.join(ROOT, "tests", "support", "receiver.py")
ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}

CONFIG = """
[case_exchange]
hash_iterations = 1000

[[case_exchange.tenants]]
id = "100000002"
name = "e2e"

[[case_exchange.tenants.external_systems]]
id = "SNOW"
description = "polling middleware"
authorized_user = "sx.snow"

[[case_exchange.tenants.external_systems]]
id = "PUSHY"
description = "push receiver"
authorized_user = "sx.pushy"
url = "{url}"

[[case_exchange.tenants.groups]]
id = "20001"
name = "Internal"

[[case_exchange.tenants.groups]]
id = "20003"
name = "ServiceNow team"
external_system = "SNOW"

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
id = "10020"
login = "sx.snow"
password = "Welcome1!"

[[case_exchange.tenants.people]]
id = "10050"
login = "sx.pushy"
password = "Welcome1!"
"""


class Client:
    """A tenant client that logs on before every operation, as the SX adapter does, and retries
    while the server is away (restart)."""

    def __init__(self, server, login):
        self.server, self.login = server, login

    def call(self, method, path, body=None, retry_s=30):
        deadline = time.monotonic() + retry_s
        while True:
            try:
                st, _, tok = self.server.request(
                    "POST", f"/auth/authentication-endpoint/authenticate/token?TENANTID={TENANT}",
                    {"Content-Type": "application/json"}, json.dumps({"Login": self.login, "Password": "Welcome1!"}))
                if st != 200:
                    raise AssertionError(f"logon of {self.login}: {st}")
                headers = {"Cookie": f"TENANTID={TENANT}; LWSSO_COOKIE_KEY={tok.decode()}"}
                data = None
                if body is not None:
                    headers["Content-Type"] = "application/json"
                    data = json.dumps(body)
                return self.server.request(method, f"/rest/{TENANT}/{path}", headers, data)
            except (ConnectionError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)


class Middleware(threading.Thread):
    """The external system: polls with a watermark, links every assigned change and comments back."""

    LAYOUT = "Id,DisplayLabel,PhaseId,CompletionCode,OwningGroup"

    def __init__(self, server):
        super().__init__(daemon=True)
        self.client = Client(server, "sx.snow")
        self.watermark = 0
        self.seen = []  # (change id, operation) in the order received
        self.linked = {}
        self.polls = 0
        self.read_at = 0.0
        self.log = []  # (poll, wall time, watermark, date, skip, change id, operation)
        self.rounds = []  # (poll, watermark used, Date of its first page in epoch ms)
        self.stop = threading.Event()
        self.error = None

    def poll_once(self, size=7):
        skip = 0
        date = None
        while True:
            q = urllib.parse.urlencode({"layout": self.LAYOUT, "type": "Change", "system": "SNOW",
                                        "time": self.watermark, "skip": skip, "size": size})
            st, hdrs, body = self.client.call("GET", "ces?" + q)
            assert st == 200, (st, body)
            doc = json.loads(body)
            assert "entities" in doc, doc
            if date is None:  # the first page's Date: no later than anything this round reads
                date = header(hdrs, "date")
                self.read_at = time.monotonic()
            for e in doc["entities"]:
                self.log.append((self.polls, round(time.time(), 3), self.watermark, date, skip, e["properties"]["Id"], e["ext_properties"]["Operation"]))
                self.handle(e)
            skip += len(doc["entities"])
            if len(doc["entities"]) < size:
                break
        date_ms = int(email.utils.parsedate_to_datetime(date).timestamp() * 1000)
        self.rounds.append((self.polls, self.watermark, date_ms))
        self.polls += 1
        self.watermark = date_ms

    def handle(self, e):
        cid = e["properties"]["Id"]
        op = e["ext_properties"]["Operation"]
        assert op in ("Assign", "Accept", "Update", "Cancel"), op
        self.seen.append((cid, op))
        if op == "Assign" and cid not in self.linked:
            ext = "EXT-" + cid
            st, _, body = self.client.call("POST", "ces", {"entities": [{
                "entity_type": "Change", "properties": {"Id": cid},
                "Comments": [{"Body": f"Ticket {ext} opened", "IsSystem": True, "PrivacyType": "PUBLIC",
                              "CreatedTime": int(time.time() * 1000)}],
                "ext_properties": {"ExternalSystem": "SNOW", "Operation": "Update", "ExternalId": ext,
                                   "ExternalEntityType": "change_request", "ExternalStatus": "New"}}]})
            assert st == 200, (st, body)
            assert json.loads(body)["meta"]["completion_status"] == "OK", body
            self.linked[cid] = ext

    def run(self):
        # At least a second between the first reads of two polls: the Date header has whole
        # seconds, so a poll re-reads the second its watermark falls in, and with this interval
        # an operation is seen at most twice.
        try:
            while not self.stop.is_set():
                self.poll_once()
                self.stop.wait(max(0.0, self.read_at + 1.0 - time.monotonic()))
        except Exception as exc:  # reported by the test
            self.error = exc


class CaseExchangeMiddleware(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BINARY:
            raise unittest.SkipTest("CAUSEWAY_BIN not set")
        cls.receiver = subprocess.Popen([sys.executable, RECEIVER], stdout=subprocess.PIPE, text=True)
        cls.receiver_url = json.loads(cls.receiver.stdout.readline())["url"]
        cls.server = Server(extra_config=CONFIG.format(url=cls.receiver_url + "/cx"))

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.receiver.terminate()
        cls.receiver.wait()

    def agent_round(self, agent, n, group):
        ids = []
        st, _, body = agent.call("POST", "ems/bulk", {"operation": "CREATE", "entities": [
            {"entity_type": "Change", "properties": {"DisplayLabel": f"e2e {group} {i}", "OwningGroup": "20001"}}
            for i in range(n)]})
        self.assertEqual(st, 200, body)
        for r in json.loads(body)["entity_result_list"]:
            self.assertEqual(r["completion_status"], "OK", r)
            ids.append(r["entity"]["properties"]["Id"])
        for i, cid in enumerate(ids):
            st, _, body = agent.call("POST", "ems/bulk", {"operation": "UPDATE", "entities": [
                {"entity_type": "Change", "properties": {"Id": cid, "OwningGroup": group}}]})
            self.assertEqual(st, 200, body)
            st, _, body = agent.call("POST", f"collaboration/comments/Change/{cid}", {"Body": f"note {i}"})
            self.assertEqual(st, 200, body)
            if i % 3 == 0:
                st, _, body = agent.call("POST", "ems/bulk", {"operation": "UPDATE", "entities": [
                    {"entity_type": "Change", "properties": {"Id": cid, "CompletionCode": "Withdrawn"}}]})
                self.assertEqual(st, 200, body)
                agent.call("POST", f"collaboration/comments/Change/{cid}", {"Body": "after cancel"})
            elif i % 3 == 1:
                st, _, body = agent.call("POST", "ems/bulk", {"operation": "UPDATE", "entities": [
                    {"entity_type": "Change", "properties": {"Id": cid, "OwningGroup": "20001"}}]})
                self.assertEqual(st, 200, body)
        return ids

    def truth_timed(self, cid, system):
        st, _, body = self.server.request("GET", f"/_causeway/cx/tenants/{TENANT}/changes/{cid}/operations", ADMIN)
        self.assertEqual(st, 200, body)
        return [(o["time"], o["operation"]) for o in json.loads(body)["outgoing"] if o["system"] == system]

    def truth(self, cid, system):
        st, _, body = self.server.request("GET", f"/_causeway/cx/tenants/{TENANT}/changes/{cid}/operations", ADMIN)
        self.assertEqual(st, 200, body)
        return [o["operation"] for o in json.loads(body)["outgoing"] if o["system"] == system]

    def assert_in_order(self, cid, expected, got):
        """`expected` is a subsequence of `got`."""
        it = iter(got)
        missing = [op for op in expected if not any(op == g for g in it)]
        self.assertEqual(missing, [], f"change {cid}: {expected} not in order within {got}")

    def handed_to_workers(self):
        st, _, metrics = self.server.request("GET", "/_causeway/metrics", ADMIN)
        self.assertEqual(st, 200, metrics)
        for line in metrics.decode().splitlines():
            if line.startswith("causeway_requests_handed_to_workers_total "):
                return int(line.split()[1])
        self.fail("no causeway_requests_handed_to_workers_total in the metrics")

    def test_concurrent_operations_on_one_record_all_apply_once(self):
        """Middleware sends several operations for one record at once. On SQLite each is tried on
        the I/O thread; one that finds the record held by another one's commit in flight runs
        again on a worker instead of waiting there. Every operation applies, once."""
        agent = Client(self.server, "ana.agent")
        st, _, body = agent.call("POST", "ems/bulk", {"operation": "CREATE", "entities": [
            {"entity_type": "Change", "properties": {"DisplayLabel": "e2e concurrent", "OwningGroup": "20003"}}]})
        self.assertEqual(st, 200, body)
        cid = json.loads(body)["entity_result_list"][0]["entity"]["properties"]["Id"]
        handed_before = self.handed_to_workers()
        threads, per_thread, failures = 12, 20, []

        def send(t):
            client = Client(self.server, "sx.snow")
            for i in range(per_thread):
                st, _, body = client.call("POST", "ces", {"entities": [{
                    "entity_type": "Change", "properties": {"Id": cid, "Description": f"update {t}-{i}"},
                    "Comments": [{"Body": f"concurrent {t}-{i}", "PrivacyType": "PUBLIC"}],
                    "ext_properties": {"ExternalSystem": "SNOW", "Operation": "Update", "ExternalId": "EXT-CONCURRENT"}}]})
                if st != 200 or json.loads(body)["meta"]["completion_status"] != "OK":
                    failures.append((st, body))

        workers = [threading.Thread(target=send, args=(t,)) for t in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        self.assertEqual(failures, [])
        st, _, body = agent.call("GET", f"collaboration/comments/Change/{cid}/comments")
        self.assertEqual(st, 200, body)
        concurrent = sorted(c["Body"] for c in json.loads(body) if c["Body"].startswith("concurrent "))
        expected = sorted(f"concurrent {t}-{i}" for t in range(threads) for i in range(per_thread))
        self.assertEqual(concurrent, expected)
        if STORE == "sqlite":  # PostgreSQL keeps these requests on the worker pool
            self.assertGreater(self.handed_to_workers(), handed_before,
                               "no operation found its record held: the hand-over was not exercised")

    def test_poll_and_answer_across_a_restart(self):
        agent = Client(self.server, "ana.agent")
        mw = Middleware(self.server)
        mw.start()
        ids = self.agent_round(agent, 12, "20003")
        push_ids = self.agent_round(agent, 6, "20005")
        self.server.restart(kill=True)  # kill -9 in the middle, same data directory and ports
        ids += self.agent_round(agent, 12, "20003")
        push_ids += self.agent_round(agent, 6, "20005")
        # Let the middleware catch up: a poll that starts after the last change.
        last_polls = mw.polls
        deadline = time.monotonic() + 60
        while mw.polls < last_polls + 2 and time.monotonic() < deadline and mw.error is None:
            time.sleep(0.05)
        mw.stop.set()
        mw.join(30)
        self.assertIsNone(mw.error)

        truth = {cid: self.truth_timed(cid, "SNOW") for cid in ids}
        seen_by_change, per_poll = {}, {}
        for k, _, _, _, _, cid, op in mw.log:
            seen_by_change.setdefault(cid, []).append(op)
            per_poll.setdefault((k, cid), []).append(op)
        for cid in ids:
            expected = [op for _, op in truth[cid]]
            self.assertEqual(expected[0], "Assign")
            # Every operation arrived, in order per record; the seed's rules hold.
            self.assert_in_order(cid, expected, seen_by_change.get(cid, []))
            self.assertNotIn("Update", expected[expected.index("Cancel"):] if "Cancel" in expected else [])
        # Per poll and record: what came back is what happened at or after the watermark (a
        # repeat only where the watermark's second is re-read: at least once, never more), and
        # it includes everything stamped before the Date of the answer (that was durable then).
        for k, watermark, date_ms in mw.rounds:
            for cid in ids:
                got = per_poll.get((k, cid), [])
                allowed = [op for t, op in truth[cid] if t >= watermark]
                must = [op for t, op in truth[cid] if watermark <= t < date_ms]
                self.assert_in_order(cid, got, allowed)
                self.assert_in_order(cid, must, got)
        # The middleware's own Updates came back as nothing (no ping-pong) and every link stayed.
        for cid in ids:
            q = urllib.parse.quote(f"EntityId='{cid}' and ExternalSystem.SystemId='SNOW'")
            st, _, body = agent.call("GET", f"ems/ExternalReference?layout=ExternalId&filter={q}")
            doc = json.loads(body)
            self.assertEqual(doc["meta"]["total_count"], 1, (cid, body))
            self.assertEqual(doc["entities"][0]["properties"]["ExternalId"], "EXT-" + cid)

        # The pushed system: every operation reached the receiver, in order per record.
        deadline = time.monotonic() + 60
        expected_push = {cid: self.truth(cid, "PUSHY") for cid in push_ids}
        want = sum(len(v) for v in expected_push.values())
        got = {}
        while time.monotonic() < deadline:
            got = {}
            with urllib.request.urlopen(self.receiver_url + "/_receiver/requests?path=/cx", timeout=10) as r:
                for req in json.loads(r.read())["requests"]:
                    e = json.loads(req["body"])["entities"][0]
                    got.setdefault(e["properties"]["Id"], []).append(e["ext_properties"]["Operation"])
            if sum(len(v) for v in got.values()) >= want:
                break
            time.sleep(0.2)
        for cid, expected in expected_push.items():
            self.assert_in_order(cid, expected, got.get(cid, []))


if __name__ == "__main__":
    unittest.main()
