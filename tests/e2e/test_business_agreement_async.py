"""BusinessAgreementReplicationIn's asynchronous guarantees against the real binary: a failed
message restarted after its business partner exists (through the `causeway messages` CLI), order
per agreement under concurrent senders, a resend of the same message ID stored once, and kill -9
between reception and processing and while processing: nothing acknowledged is lost, nothing is
processed twice."""
import json
import os
import subprocess
import threading
import time
import unittest
import uuid

from harness import BINARY, Server, basic

PATH = "/sap/bc/srt/scs/sap/businessagreementreplicationin"
ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}
SENDER = {"Authorization": basic("BUAG_REPL", "Welcome1!"), "Content-Type": "text/xml; charset=utf-8",
          "SOAPAction": '""'}
EXTRA_USERS = """
[[users]]
name = "BUAG_REPL"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_BUSINESS_AGREEMENT"]
"""


def config(workers):
    return f"""
[task_activity]
demo_master_data = true

[business_agreement]
demo_master_data = true
workers = {workers}
lease_s = 30
"""


def envelope(agreement_id, name, message_uuid=None, message_id=None, partner="UC100001", action="04", sender=""):
    header = "<BasicMessageHeader>"
    if message_id:
        header += f"<ID>{message_id}</ID>"
    if message_uuid:
        header += f"<UUID>{message_uuid}</UUID>"
    header += "</BasicMessageHeader>"
    node = f"<ObjectNodeSenderTechnicalID>{sender}</ObjectNodeSenderTechnicalID>" if sender else ""
    return ('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>'
            '<n0:BusinessAgreementReplicateRequest xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">' + header +
            f'<BusinessAgreement actionCode="{action}">{node}<ID>{agreement_id}</ID><Name>{name}</Name>'
            f'<BusinessPartnerInternalID>{partner}</BusinessPartnerInternalID></BusinessAgreement>'
            '</n0:BusinessAgreementReplicateRequest></soapenv:Body></soapenv:Envelope>').encode()


class AsyncCase(unittest.TestCase):
    workers = 1

    def setUp(self):
        self.server = Server(extra_users=EXTRA_USERS, extra_config=config(self.workers))

    def tearDown(self):
        self.server.close()

    def send(self, body, conn=None):
        st, _, out = self.server.request("POST", PATH, SENDER, body, conn=conn)
        return st, out

    def control(self, path, method="GET", body=None, expect=200):
        headers = dict(ADMIN)
        if body is not None:
            headers["Content-Type"] = "application/json"
        st, _, out = self.server.request(method, path, headers, body)
        self.assertEqual(st, expect, out)
        return json.loads(out) if out else None

    def all_messages(self, **filters):
        out, cursor = [], ""
        while True:
            query = "&".join(f"{k}={v}" for k, v in dict(filters, kind="async", limit=1000, cursor=cursor).items())
            page = self.control("/_causeway/messages?" + query)
            out += page["messages"]
            cursor = page["next_cursor"]
            if not cursor:
                return out

    def wait_settled(self, expected_count, timeout=120):
        """Polls the monitor until `expected_count` messages exist and none is received."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.all_messages()
            if len(found) >= expected_count and all(m["status"] != "received" for m in found):
                return found
            if time.monotonic() > deadline:
                statuses = {}
                for m in found:
                    statuses[m["status"]] = statuses.get(m["status"], 0) + 1
                raise AssertionError(f"{len(found)} messages, statuses {statuses}; expected {expected_count} settled")
            time.sleep(0.05)

    def revisions_in_seq_order(self, agreement_id):
        """The revision each message of the agreement produced, in reception (seq) order."""
        msgs = sorted(self.all_messages(object_key="ID:" + agreement_id), key=lambda m: m["seq"])
        revisions = []
        for m in msgs:
            entry = self.control("/_causeway/messages/" + m["id"])
            runs = [i for i in entry["log"] if i["type_id"] in ("030(CAUSEWAY/AGREEMENT)", "031(CAUSEWAY/AGREEMENT)")]
            self.assertEqual(len(runs), 1, entry)  # processed exactly once
            self.assertEqual(entry["attempts"], 1, entry)
            revisions.append(int(runs[0]["note"].rsplit("revision ", 1)[1].rstrip(")")))
        return msgs, revisions

    def cli(self, *args):
        env = dict(os.environ, CAUSEWAY_PASSWORD="Admin1!")
        p = subprocess.run([BINARY, "messages", *args, "--url", self.server.base, "--admin", "CAUSEWAY_ADMIN"],
                           capture_output=True, text=True, env=env, timeout=60)
        return p.returncode, p.stdout, p.stderr


class RestartThroughTheCli(AsyncCase):
    def test_a_failed_message_is_restarted_after_its_partner_exists(self):
        st, body = self.send(envelope("000000900001", "First", message_id="M-1", partner="UC777777", action="01",
                                      sender="R1"))
        self.assertEqual((st, body), (202, b""))
        self.assertEqual(self.send(envelope("000000900001", "Second", message_id="M-2", partner="UC777777"))[0], 202)
        self.wait_settled(2)
        rc, out, err = self.cli("list", "--status", "error", "--object-key", "ID:000000900001")
        self.assertEqual(rc, 0, err)
        failed = json.loads(out)["messages"]
        self.assertEqual([m["message_id"] for m in failed], ["M-1"])
        rc, out, _ = self.cli("show", failed[0]["id"])
        shown = json.loads(out)
        self.assertEqual(shown["log"][0]["note"], "Business partner UC777777 does not exist")
        self.assertEqual(shown["log"][0]["sender_id"], "R1")
        waiting = json.loads(self.cli("list", "--status", "waiting")[1])["messages"]
        self.assertEqual([m["message_id"] for m in waiting], ["M-2"])
        self.assertEqual(self.cli("show", waiting[0]["id"])[1].count(f'"waiting_for":"{failed[0]["id"]}"'), 1)

        self.control("/_causeway/business-agreement/partners/UC777777", "PUT", '{"kind":"account","name":"Late"}')
        rc, out, err = self.cli("restart", failed[0]["id"])
        self.assertEqual(rc, 0, err)
        settled = {m["message_id"]: m for m in self.wait_settled(2)}
        self.assertEqual((settled["M-1"]["status"], settled["M-1"]["attempts"]), ("processed", 2))
        self.assertEqual(settled["M-2"]["status"], "processed")
        agreement = self.control("/_causeway/business-agreement/agreements/000000900001")
        self.assertEqual((agreement["name"], agreement["revision"], agreement["business_partner_id"]),
                         ("Second", 2, "UC777777"))
        rc, out, _ = self.cli("payload", failed[0]["id"])
        self.assertIn("<Name>First</Name>", out)
        # The CLI's exit codes: 3 when the status does not allow the action, 4 for an unknown message.
        self.assertEqual(self.cli("restart", failed[0]["id"])[0], 3)
        self.assertEqual(self.cli("show", "424242")[0], 4)
        summary = json.loads(self.cli("summary")[1])["counts"]
        self.assertIn({"service": "BusinessAgreementReplicationIn", "kind": "async", "status": "processed",
                       "count": 2}, summary)
        st, _, metrics = self.server.request("GET", "/_causeway/metrics", ADMIN)
        self.assertIn(b'causeway_soap_messages_total{service="BusinessAgreementReplicationIn",status="restarted"} 1',
                      metrics)


class OrderAndResend(AsyncCase):
    def test_order_per_agreement_under_concurrent_senders(self):
        agreements = [f"0000009100{i:02d}" for i in range(5)]
        sent = {}  # (thread, agreement) → names in send order
        errors = []

        def sender(t):
            conn = self.server.conn()
            try:
                for i in range(25):
                    a = agreements[(t + i) % len(agreements)]
                    name = f"t{t}-{i}"
                    st, body = self.send(envelope(a, name, message_uuid=str(uuid.uuid4())), conn=conn)
                    if st != 202:
                        errors.append((st, body))
                    sent.setdefault((t, a), []).append(name)
            finally:
                conn.close()

        threads = [threading.Thread(target=sender, args=(t,)) for t in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertEqual(errors, [])
        self.wait_settled(200)
        for a in agreements:
            msgs, revisions = self.revisions_in_seq_order(a)
            self.assertEqual(revisions, list(range(1, len(msgs) + 1)), a)  # processed in reception order
            stored = self.control("/_causeway/business-agreement/agreements/" + a)
            self.assertEqual(stored["revision"], len(msgs))
            # Each sender's messages of one agreement were received in the order it sent them.
            payload_names = {}
            for m in msgs:
                st, _, p = self.server.request("GET", f"/_causeway/messages/{m['id']}/payload", ADMIN)
                payload_names[m["id"]] = p.decode().split("<Name>")[1].split("</Name>")[0]
            order = [payload_names[m["id"]] for m in msgs]
            for (t, agreement), names in sent.items():
                if agreement == a:
                    self.assertEqual([n for n in order if n.startswith(f"t{t}-")], names)
            self.assertEqual(stored["name"], order[-1])

    def test_a_resend_of_the_same_message_id_is_stored_once(self):
        body = envelope("000000920001", "Once", message_id="RESEND-1")
        results = []
        threads = [threading.Thread(target=lambda: results.append(self.send(body)[0])) for _ in range(6)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        results += [self.send(body)[0] for _ in range(3)]
        self.assertEqual(results, [202] * 9)
        msgs = self.wait_settled(1)
        self.assertEqual(len(msgs), 1)
        self.assertEqual(self.control("/_causeway/business-agreement/agreements/000000920001")["revision"], 1)
        st, _, metrics = self.server.request("GET", "/_causeway/metrics", ADMIN)
        self.assertIn(b'causeway_soap_messages_total{service="BusinessAgreementReplicationIn",status="duplicate"} 8',
                      metrics)


class KillBetweenReceptionAndProcessing(AsyncCase):
    workers = 0  # this node only receives: everything stays stored, unprocessed, until the kill

    def test_nothing_acknowledged_is_lost_nor_processed_twice(self):
        agreements = [f"0000009300{i:02d}" for i in range(10)]
        for i in range(50):
            st, _ = self.send(envelope(agreements[i % 10], f"n{i}", message_uuid=str(uuid.uuid4())))
            self.assertEqual(st, 202)
        self.assertEqual(len([m for m in self.all_messages() if m["status"] == "received"]), 50)
        self.server.kill9()
        self.server.config_text = self.server.config_text.replace("workers = 0", "workers = 1")
        self.server.restart()
        msgs = self.wait_settled(50)
        self.assertEqual(len(msgs), 50)
        self.assertTrue(all(m["status"] == "processed" for m in msgs))
        for a in agreements:
            m, revisions = self.revisions_in_seq_order(a)
            self.assertEqual(revisions, [1, 2, 3, 4, 5], a)


class KillWhileProcessing(AsyncCase):
    def test_kill9_while_receiving_and_processing_loses_nothing_and_repeats_nothing(self):
        agreements = [f"0000009400{i:02d}" for i in range(30)]
        planned = [(agreements[i % 30], f"k{i}", str(uuid.uuid4())) for i in range(400)]
        acknowledged, unanswered = set(), []
        lock = threading.Lock()
        killed = threading.Event()

        def sender(part):
            for a, name, mid in part:
                try:
                    conn = self.server.conn()
                    st, _, _ = self.server.request("POST", PATH, SENDER, envelope(a, name, message_uuid=mid), conn=conn)
                    conn.close()
                    ok = st == 202
                except OSError:
                    ok = False
                with lock:
                    (acknowledged.add(mid) if ok else unanswered.append((a, name, mid)))
                    if len(acknowledged) >= 150 and not killed.is_set():
                        killed.set()
                        self.server.proc.send_signal(9)

        threads = [threading.Thread(target=sender, args=(planned[t::4],)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        self.assertTrue(killed.is_set())
        self.server.proc.wait()
        self.server.restart()
        # What was not answered is sent again with the same UUID: stored once whatever happened.
        for a, name, mid in unanswered:
            st, _ = self.send(envelope(a, name, message_uuid=mid))
            self.assertEqual(st, 202)
        msgs = self.wait_settled(len(planned))
        self.assertEqual(len(msgs), len(planned))
        stored = {m["message_uuid"] for m in msgs}
        self.assertTrue(acknowledged <= stored)
        self.assertEqual(stored, {mid for _, _, mid in planned})
        self.assertTrue(all(m["status"] == "processed" for m in msgs))
        for a in agreements:
            m, revisions = self.revisions_in_seq_order(a)
            self.assertEqual(revisions, list(range(1, len(m) + 1)), a)
            self.assertEqual(self.control("/_causeway/business-agreement/agreements/" + a)["revision"], len(m))


if __name__ == "__main__":
    unittest.main()
