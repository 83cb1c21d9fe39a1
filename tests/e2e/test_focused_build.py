"""Focused Build's external tool integration end to end (guide chapters 3 and 4, spec §3): the
real server plays Solution Manager, driven through `causeway fb …` and /_causeway/fb/ as the
Solution Manager UI would; tests/support/fb_tool.py plays the external tool (SAP's Jira
connector): it checks every pushed payload against the appendix, answers creates with 201 and
an OData V4 EXTERNAL_ID, downloads the document links without credentials (and a tampered copy
of each), and sends status changes back the connector's way (token fetch after a 401 challenge,
Basic, sap-client, PUT StatusSet with the token and the session cookie).

Covered: handover (S1_CALL_EXT) pushes the work package and then its work items with
PARENT_EXTERNAL_ID; EXTERNAL_ID kept and shown; a later change is a PUT to the update URI with
#EXTERNAL_ID# filled in; an inbound status change is visible and pushes nothing back; an unmapped
status is HTTP 500 /SALM/EXT_INTEG/003 with the guide's text; a 503 on the first attempt is
retried; a 201 without EXTERNAL_ID fails visibly with the reason (and an operator's retry
recovers without a second issue); kill -9 between handover and delivery loses and duplicates
nothing; the CLI's exit codes.
"""
import base64
import calendar
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from harness import BINARY, Server, basic

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tests", "support", "fb_tool.py")
FIXTURES = os.path.join(ROOT, "tests", "golden", "ext_integration", "fixtures")
ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}
DEADLINE_S = 20
LINK_VALIDITY_S = 7200
UPDATE_URI = "/plugins/servlet/IssueService.svc/Issues('{}')"
CREATE_URI = "/plugins/servlet/IssueService.svc/Issues"

USERS = """
[[users]]
name = "FB_CONNECTOR"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_FB_EXT_INTEGRATION"]
"""

# The demo customizing (/SALM/FBDF, project ST_OST_SP2 -> RFC destination JIRA_DEMO, Basic
# SOLMAN_SYNC) pointed at the stand-in tool. Deliberately no [outbox.destinations.JIRA_DEMO]
# (retry settings): the outbox opens before this module applies the customizing's destinations,
# so after a restart a same-name destination from the file, without the RFC destination's
# credentials, would carry the first deliveries (they fail with 401).
CONFIG = """
[ext_integration]
demo = true
demo_tool_url = "{url}"
"""


def deadline_loop(what, timeout=DEADLINE_S):
    """Yields until the caller breaks; fails with `what` once the deadline passed."""
    end = time.monotonic() + timeout
    while True:
        yield
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.02)


class FocusedBuild(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BINARY:
            raise unittest.SkipTest("CAUSEWAY_BIN not set")
        cls.tool = subprocess.Popen([sys.executable, TOOL], stdout=subprocess.PIPE, text=True)
        cls.tool_url = json.loads(cls.tool.stdout.readline())["url"]
        try:
            cls.srv = Server(extra_users=USERS, extra_config=CONFIG.format(url=cls.tool_url))
        except Exception:
            cls.tool.terminate()
            cls.tool.wait()
            raise
        cls.configure_tool()
        cls.files = tempfile.mkdtemp(prefix="causeway-fb-e2e-")
        with open(os.path.join(FIXTURES, "create-work-package.json")) as f:
            cls.appendix = json.load(f)
        with open(os.path.join(FIXTURES, "status-update-error-response.json")) as f:
            cls.error_fixture = json.load(f)

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()
        cls.tool.terminate()
        cls.tool.wait()

    @classmethod
    def configure_tool(cls):
        # The connector calls the https listener (the guide: HTTPS), client 100.
        cls.tool_call("POST", "config", {"solman_url": cls.srv.tls_base, "user": "FB_CONNECTOR",
                                         "password": "Welcome1!", "client": "100"})

    # ---- helpers ----------------------------------------------------------------------------------

    @classmethod
    def tool_call(cls, method, name, doc=None, timeout=30):
        data = json.dumps(doc).encode() if doc is not None else None
        req = urllib.request.Request(cls.tool_url + "/_tool/" + name, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise AssertionError(f"tool {method} {name}: {e.code} {e.read()!r}")

    def tool_state(self):
        return self.tool_call("GET", "state")

    def requests_for(self, *guids):
        return [r for r in self.tool_state()["requests"] if r["ticket_guid"] in guids]

    def fb(self, *args, password="Admin1!", url=None):
        """`causeway fb …` against the server: (exit code, parsed stdout or None, stderr)."""
        env = dict(os.environ)
        if password is None:
            env.pop("CAUSEWAY_PASSWORD", None)
        else:
            env["CAUSEWAY_PASSWORD"] = password
        p = subprocess.run([BINARY, "fb", *args, "--url", url or self.srv.base, "--admin", "CAUSEWAY_ADMIN"],
                           capture_output=True, text=True, env=env, timeout=60)
        try:
            out = json.loads(p.stdout) if p.stdout.strip() else None
        except ValueError:
            out = p.stdout
        return p.returncode, out, p.stderr

    def fb_ok(self, *args):
        rc, out, err = self.fb(*args)
        self.assertEqual(rc, 0, f"causeway fb {' '.join(args)}: {err}")
        return out

    def control(self, method, path, doc=None):
        headers = dict(ADMIN)
        body = None
        if doc is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(doc)
        st, _, data = self.srv.request(method, "/_causeway/fb/" + path, headers, body)
        return st, json.loads(data) if data else None

    def pushes(self, ticket):
        st, doc = self.control("GET", f"objects/{ticket}/pushes")
        self.assertEqual(st, 200, doc)
        return doc["pushes"]

    def wait_pushes(self, ticket, count, states=("delivered",)):
        for _ in deadline_loop(f"{count} pushes of {ticket} in {states}"):
            got = self.pushes(ticket)
            if len(got) >= count and all(p["state"] in states for p in got):
                return got

    def create_package(self, description, **fields):
        body = {"process_type": "S1IT", "description": description, "project": "ST_OST_SP2",
                "priority": 2, "impact": 1, "urgency": 2, "effort": "120.50", "effort_unit": "MIN",
                "ppm_project_id": "E2E_PPM", "ppm_project_text": "E2E project",
                "ppm_start_date": "20261201", "ppm_finish_date": "20261231", "ppm_completion": 10,
                "forecast_release": {"number": "2.0", "class": "E2E", "type": "S_MAJOR", "go_live_date": "20270115"},
                "classification": "1", "wricef": [{"key": "R", "value": "Report"}],
                "partners": [{"function": "/SALM/01", "partner_no": "786"},
                             {"function": "/SALM/03", "partner_no": "4711", "main": True},
                             {"function": "/SALM/09", "partner_no": "4000"}],
                "appointments": [{"date_type": "S1_BUILD_FIN", "timestamp": "20261215120000", "time_zone": "UTC"}],
                "categories": [{"guid": "005056836E761EE4A0A37568F9038938", "description": "Applications", "level": 1}],
                "process_structure": [{"project_id": "ST_OST_SP2", "node_id": "710FB9CF34604ABBA6FEB2A641F27654",
                                       "step_text": "Check", "process_text": "E2E", "scenario_text": "E2E"}],
                "texts": [{"text_id": "S115", "text": "Requirement of " + description, "author": "4711"}]}
        body.update(fields)
        out = self.fb_ok("create", "--json", json.dumps(body))
        self.assertEqual(out["pushes"], [], "nothing is pushed before S1_CALL_EXT")
        return out["object"]

    def create_item(self, package, process_type, description):
        body = {"process_type": process_type, "description": description, "package": package["guid"],
                "priority": 3, "effort": 60,
                "partners": [{"function": "/SALM/03", "partner_no": "4711", "main": True},
                             {"function": "/SALM/09", "partner_no": "4000"}],
                "texts": [{"text_id": "CD99", "text": "Overview of " + description}]}
        path = os.path.join(self.files, "item.json")
        with open(path, "w") as f:
            json.dump(body, f)
        out = self.fb_ok("create", "--file", path)
        self.assertEqual((out["object"]["parent_guid"], out["object"]["project"]), (package["guid"], "ST_OST_SP2"))
        return out["object"]

    def upload(self, ticket, name, content, kind="document"):
        path = os.path.join(self.files, name)
        with open(path, "wb") as f:
            f.write(content)
        out = self.fb_ok("upload", ticket["ticket_id"], "--file", path, "--kind", kind,
                         "--content-type", "application/octet-stream", "--title", name)
        return [d for d in out["object"]["documents"] if d["file_name"] == name][-1]

    def handover(self, package, items):
        out = self.fb_ok("handover", package["ticket_id"])
        self.assertEqual(out["not_pushed"], [])
        self.assertEqual([(p["ticket_id"], p["kind"]) for p in out["pushes"]],
                         [(o["ticket_id"], "create") for o in [package] + items])
        self.assertTrue(out["integration"]["handed_over"])
        return out

    def issue_of(self, guid):
        return [i for i in self.tool_state()["issues"] if i["ticket_guid"] == guid]

    def assert_appendix_payloads(self, requests):
        for r in requests:
            self.assertEqual(r["problems"], [], f"payload of {r['kind']} {r['ticket_id']}")
            self.assertEqual((r["content_type"], r["accept"]), ("application/json", "application/json"))

    # ---- the tests --------------------------------------------------------------------------------

    def test_1_handover_links_update_and_status_roundtrip(self):
        system = self.fb_ok("system")
        self.assertEqual(system["service_root"], "/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/")
        destinations = self.fb_ok("customizing", "destinations")
        jira = [d for d in destinations if d["name"] == "JIRA_DEMO"][0]
        self.assertNotIn("Welcome1!", json.dumps(destinations))
        self.assertTrue(jira["password_set"])

        wp = self.create_package("E2E roundtrip")
        items = [self.create_item(wp, "S1CG", "E2E roundtrip layout"), self.create_item(wp, "S1MJ", "E2E roundtrip fields")]
        spec = os.urandom(3000) + b"\x00binary\xff"
        doc = self.upload(wp, "Functional Spec.docx", spec)
        att = self.upload(wp, "Attachment.txt", b"attachment of the package\n", kind="attachment")
        item_doc = self.upload(items[0], "Item Spec.txt", "Überblick, item spec\n".encode())
        st, linked = self.control("POST", f"objects/{wp['guid']}/documents",
                                  {"kind": "attachment", "file_name": "Link to requirement", "extension": "URL",
                                   "technical_name": "Link to requirement.URL", "link_url": "https://example.org/req/7"})
        self.assertEqual(st, 201, linked)
        self.fb_ok("text", wp["ticket_id"], "--text-id", "S115", "--text", "More detail", "--author", "4711")
        for status in ("E0016", "E0004", "E0022"):  # Scoping → Scope Finalized → To be Developed
            out = self.fb_ok("status", wp["ticket_id"], status)
            self.assertEqual((out["object"]["status"], out["pushes"]), (status, []))
        listed = self.fb_ok("list", "--type", "S1IT", "--limit", "1000")["objects"]
        self.assertIn(wp["ticket_id"], [o["ticket_id"] for o in listed])
        self.assertEqual(self.requests_for(wp["guid"], *[i["guid"] for i in items]), [], "no push before handover")

        self.handover(wp, items)
        guids = [wp["guid"]] + [i["guid"] for i in items]
        for _ in deadline_loop("three creates answered"):
            reqs = self.requests_for(*guids)
            if len(reqs) >= 3 and all(r["answer"] for r in reqs):
                break
        self.assertEqual(len(reqs), 3, reqs)
        self.assert_appendix_payloads(reqs)
        # The package first; its items after it, with its EXTERNAL_ID as PARENT_EXTERNAL_ID.
        self.assertEqual([(r["method"], r["path"], r["ticket_guid"]) for r in reqs],
                         [("POST", CREATE_URI, g) for g in guids])
        wp_ext = self.issue_of(wp["guid"])[0]["external_id"]
        self.assertEqual([r["parent_external_id"] for r in reqs], ["", wp_ext, wp_ext])
        self.assertEqual([r["answer"] for r in reqs], [201, 201, 201])
        self.assertEqual(reqs[0]["idempotency_key"], wp["guid"])
        # The tool logs its 201 as it sends it; the server stores the EXTERNAL_ID a moment later,
        # when the outbox has read the answer.
        for _ in deadline_loop("the EXTERNAL_IDs stored"):
            if all(self.fb_ok("show", g)["integration"]["external_id"] for g in guids):
                break

        shown = self.fb_ok("show", wp["ticket_id"])
        self.assertEqual(shown["integration"]["external_id"], wp_ext)
        self.assertEqual(shown["integration"]["jump_in_url"], f"{self.tool_url}/browse/{wp_ext}")
        self.assertEqual([i["guid"] for i in shown["items"]], [i["guid"] for i in items])
        for item in items:
            integ = self.fb_ok("show", item["guid"])["integration"]
            self.assertEqual(integ["external_id"], self.issue_of(item["guid"])[0]["external_id"])
            self.assertEqual(integ["parent_external_id"], wp_ext)
        pushes = self.fb_ok("pushes", wp["ticket_id"])["pushes"]
        self.assertEqual([(p["kind"], p["state"], p["attempts"]) for p in pushes], [("fb.wp.create", "delivered", 1)])
        self.assertEqual(json.loads(pushes[0]["result"])["EXTERNAL_ID"], wp_ext)

        # Documents: fetched by the tool without credentials, each until its expiry; a tampered
        # link is refused; the link attachment's URL went out as it is and is not Causeway's.
        links = self.fb_ok("links", wp["ticket_id"])["links"]
        self.assertEqual(sorted(l["id"] for l in links), sorted([doc["id"], att["id"], linked["object"]["documents"][-1]["id"]]))
        self.assertEqual([l["id"] for l in self.fb_ok("links", items[0]["ticket_id"])["links"]], [item_doc["id"]])
        for _ in deadline_loop("three downloads"):
            downloads = [d for d in self.tool_state()["downloads"] if d["ticket_id"] in (wp["ticket_id"], items[0]["ticket_id"])]
            if len(downloads) >= 3:
                break
        by_name = {d["file_name"]: d for d in downloads}
        self.assertEqual(sorted(by_name), ["Attachment.txt", "Functional Spec.docx", "Item Spec.txt"])
        expected = {"Functional Spec.docx": spec, "Attachment.txt": b"attachment of the package\n",
                    "Item Spec.txt": "Überblick, item spec\n".encode()}
        create_arrival = {r["ticket_id"]: r["arrival"] for r in reqs}
        for name, d in by_name.items():
            self.assertEqual(d["status"], 200, d)
            self.assertEqual(base64.b64decode(d["content_base64"]), expected[name])
            self.assertIn("attachment", d["content_disposition"])
            self.assertEqual(d["tampered_status"], 403, d["tampered_url"])
            expires = calendar.timegm(time.strptime(d["expiration"], "%Y%m%d%H%M%S"))
            self.assertAlmostEqual(expires - create_arrival[d["ticket_id"]], LINK_VALIDITY_S, delta=60)
        self.assertIn("/sap/bc/solman/SolmanDocuments/100?", by_name["Functional Spec.docx"]["url"])
        self.assertIn("/sap/bc/contentserver/100?get&", by_name["Attachment.txt"]["url"])
        self.assertIn(["ATTACHMENT", "Link to requirement", "URL", "https://example.org/req/7"], reqs[0]["links"])
        self.assertEqual(len(reqs[0]["links"]), 3)

        # A later change is an update: PUT to the update URI with #EXTERNAL_ID# filled in.
        out = self.fb_ok("change", wp["ticket_id"], "--json", json.dumps({"description": "E2E roundtrip (changed)"}))
        self.assertEqual([p["kind"] for p in out["pushes"]], ["update"])
        item_ext = self.issue_of(items[0]["guid"])[0]["external_id"]
        out = self.fb_ok("change", items[0]["ticket_id"], "--json", json.dumps({"priority": 1}))
        self.assertEqual([p["kind"] for p in out["pushes"]], ["update"])
        for _ in deadline_loop("two updates answered"):
            updates = [r for r in self.requests_for(*guids) if r["kind"] == "update"]
            if len(updates) >= 2 and all(r["answer"] for r in updates):
                break
        self.assert_appendix_payloads(updates)
        self.assertEqual([(u["method"], u["path"], u["external_id"], u["parent_external_id"], u["answer"]) for u in updates],
                         [("PUT", UPDATE_URI.format(wp_ext), wp_ext, "", 204),
                          ("PUT", UPDATE_URI.format(item_ext), item_ext, wp_ext, 204)])
        self.assertEqual(updates[0]["description"], "E2E roundtrip (changed)")

        # The tool moves item 1 in its workflow: the status arrives, is visible, pushes nothing.
        pushes_before = len(self.pushes(items[0]["guid"]))
        requests_before = len(self.requests_for(items[0]["guid"]))
        t = self.tool_call("POST", "transition", {"external_id": item_ext, "status": "Start Development"})
        self.assertEqual(t["outcome"], "synced", t)
        challenge, fetch, put = t["steps"]
        self.assertEqual(challenge["status"], 401)
        self.assertTrue(dict((k.lower(), v) for k, v in challenge["headers"])["www-authenticate"].startswith("Basic "))
        self.assertNotIn("Authorization", challenge["sent_headers"])
        self.assertEqual(fetch["status"], 200)
        self.assertIn("x-csrf-token", [k for k, _ in fetch["headers"]])
        self.assertTrue(any(k.lower() == "set-cookie" and v.startswith("SAP_SESSIONID_CWY_100=") for k, v in fetch["headers"]))
        self.assertEqual((put["status"], put["body"]), (204, ""))
        self.assertIn("SAP_SESSIONID_CWY_100", put["cookies_sent"])
        self.assertEqual(put["path"], f"/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/StatusSet(Guid='{items[0]['guid']}')")
        shown = self.fb_ok("show", items[0]["ticket_id"])["object"]
        self.assertEqual((shown["status"], shown["last_external_status"]), ("E0002", "Start Development"))
        last = self.fb_ok("history", items[0]["ticket_id"])["history"][-1]
        self.assertEqual((last["from"], last["to"], last["origin"], last["external_status"], last["changed_by"]),
                         ("E0001", "E0002", "inbound", "Start Development", "FB_CONNECTOR"))
        self.assertEqual(len(self.pushes(items[0]["guid"])), pushes_before, "an inbound status is never pushed back")
        # The next push of item 1 is the next change made in Solution Manager, with the new status
        # (pushes of a package's key go out in order, so a push of the status would come first).
        self.fb_ok("text", items[0]["ticket_id"], "--text-id", "CD99", "--text", "after the status change")
        for _ in deadline_loop("the update after the status change"):
            later = self.requests_for(items[0]["guid"])[requests_before:]
            if later and all(r["answer"] for r in later):
                break
        self.assertEqual([(r["kind"], r["status_code"], r["answer"]) for r in later], [("update", "E0002", 204)])

        # A status the mapping does not know: 500 /SALM/EXT_INTEG/003 with the guide's text.
        history_before = self.fb_ok("history", items[1]["ticket_id"])["history"]
        t = self.tool_call("POST", "transition", {"external_id": self.issue_of(items[1]["guid"])[0]["external_id"],
                                                  "status": "Code Review"})
        self.assertEqual((t["outcome"], t["status"]), ("application-error", 500), t)
        error = json.loads(t["body"])["error"]
        text = f"Status mapping for ext. status Code Review is not existing for ticket {items[1]['ticket_id']}."
        fixture = self.error_fixture["error"]
        self.assertEqual(error["code"], fixture["code"])
        self.assertEqual(error["message"], {"lang": "en", "value": text})
        self.assertEqual(sorted(error["innererror"]), sorted(fixture["innererror"]))
        self.assertEqual(error["innererror"]["Error_Resolution"], fixture["innererror"]["Error_Resolution"])
        self.assertEqual(error["innererror"]["errordetails"],
                         [dict(fixture["innererror"]["errordetails"][0], message=text)])
        self.assertEqual(self.fb_ok("history", items[1]["ticket_id"])["history"], history_before)
        self.assertEqual(self.fb_ok("show", items[1]["ticket_id"])["object"]["status"], "E0001")

    def test_2_faults_503_then_success_and_201_without_external_id(self):
        # 503 on the first attempt of the package's create: retried, created once.
        wp = self.create_package("E2E busy tool")
        item = self.create_item(wp, "S1CG", "E2E busy item")
        self.tool_call("POST", "rules", {"ticket_guid": wp["guid"], "kind": "create", "attempts": [1], "status": 503,
                                         "headers": {"Retry-After": "0"}, "body": "busy"})
        self.handover(wp, [item])
        pushes = self.wait_pushes(wp["guid"], 1)
        self.assertEqual(pushes[0]["attempts"], 2)
        self.wait_pushes(item["guid"], 1)
        reqs = self.requests_for(wp["guid"], item["guid"])
        self.assertEqual([(r["ticket_guid"], r["attempt"], r["answer"]) for r in reqs],
                         [(wp["guid"], 1, 503), (wp["guid"], 2, 201), (item["guid"], 1, 201)])
        self.assertEqual(reqs[1]["idempotency_key"], reqs[0]["idempotency_key"])
        self.assertEqual([len(self.issue_of(g)) for g in (wp["guid"], item["guid"])], [1, 1])
        self.assertEqual(reqs[2]["parent_external_id"], self.issue_of(wp["guid"])[0]["external_id"])

        # 201 without EXTERNAL_ID: the create fails for good with the reason, the items wait.
        wp = self.create_package("E2E forgetful tool")
        item = self.create_item(wp, "S1MJ", "E2E forgetful item")
        self.tool_call("POST", "rules", {"ticket_guid": wp["guid"], "kind": "create", "omit_external_id": True, "times": 1})
        self.handover(wp, [item])
        failed = self.wait_pushes(wp["guid"], 1, states=("failed",))[0]
        self.assertIn("the create answer carries no EXTERNAL_ID", failed["last_error"])
        self.assertEqual(self.fb_ok("show", wp["ticket_id"])["integration"]["external_id"], "")
        self.assertEqual([p["state"] for p in self.pushes(item["guid"])], ["pending"])
        self.assertEqual(self.requests_for(item["guid"]), [], "the item waits for its package's EXTERNAL_ID")
        env = dict(os.environ, CAUSEWAY_PASSWORD="Admin1!")
        p = subprocess.run([BINARY, "outbox", "show", str(failed["id"]), "--url", self.srv.base, "--admin", "CAUSEWAY_ADMIN"],
                           capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("EXTERNAL_ID", json.dumps(json.loads(p.stdout)["attempts"]))
        # The operator retries once the tool is fixed: the tool recognises the create (same
        # Idempotency-Key) and answers the issue it made; the item follows. One issue each.
        p = subprocess.run([BINARY, "outbox", "retry", str(failed["id"]), "--url", self.srv.base, "--admin", "CAUSEWAY_ADMIN"],
                           capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.wait_pushes(wp["guid"], 1)
        self.wait_pushes(item["guid"], 1)
        issue = self.issue_of(wp["guid"])
        self.assertEqual((len(issue), issue[0]["replays"]), (1, 1))
        self.assertEqual(self.fb_ok("show", wp["ticket_id"])["integration"]["external_id"], issue[0]["external_id"])
        self.assertEqual(self.issue_of(item["guid"])[0]["parent_external_id"], issue[0]["external_id"])
        self.assert_appendix_payloads(self.requests_for(wp["guid"], item["guid"]))

    def test_3_kill9_between_handover_and_delivery(self):
        wp = self.create_package("E2E crash")
        items = [self.create_item(wp, "S1CG", "E2E crash a"), self.create_item(wp, "S1CG", "E2E crash b")]
        doc = self.upload(wp, "Crash Spec.txt", b"written before the crash\n")
        # The tool holds the package's create: the server dies while it waits for the answer.
        self.tool_call("POST", "rules", {"ticket_guid": wp["guid"], "kind": "create", "gate": "crash", "times": 1})
        self.handover(wp, items)
        for _ in deadline_loop("the held create"):
            if self.requests_for(wp["guid"]):
                break
        out = self.fb_ok("change", wp["ticket_id"], "--json", json.dumps({"description": "E2E crash (changed)"}))
        self.assertEqual([p["kind"] for p in out["pushes"]], ["update"])
        self.srv.kill9()
        self.tool_call("POST", "gates/crash/open")
        for _ in deadline_loop("the tool to answer the held create into the closed connection"):
            if self.requests_for(wp["guid"])[0]["answer"]:
                break
        self.srv.restart()
        self.configure_tool()

        guids = [wp["guid"]] + [i["guid"] for i in items]
        self.wait_pushes(wp["guid"], 2)
        for i in items:
            self.wait_pushes(i["guid"], 1)
        for _ in deadline_loop("every answer"):
            reqs = self.requests_for(*guids)
            if all(r["answer"] for r in reqs):
                break
        # The interrupted create went again with the same key (its answer was lost), the tool
        # gave back the same issue; the rest went once each, in order; one issue per ticket.
        self.assertEqual([(r["kind"], r["ticket_guid"]) for r in reqs],
                         [("create", wp["guid"]), ("create", wp["guid"]), ("create", items[0]["guid"]),
                          ("create", items[1]["guid"]), ("update", wp["guid"])])
        self.assertEqual(reqs[0]["idempotency_key"], reqs[1]["idempotency_key"])
        self.assertTrue(reqs[1].get("replay"))
        self.assertEqual([len(self.issue_of(g)) for g in guids], [1, 1, 1])
        wp_ext = self.issue_of(wp["guid"])[0]["external_id"]
        self.assertEqual([r["parent_external_id"] for r in reqs[2:4]], [wp_ext, wp_ext])
        self.assertEqual((reqs[4]["path"], reqs[4]["description"]), (UPDATE_URI.format(wp_ext), "E2E crash (changed)"))
        self.assert_appendix_payloads(reqs)
        create = [p for p in self.pushes(wp["guid"]) if p["kind"] == "fb.wp.create"][0]
        self.assertEqual((create["state"], create["attempts"]), ("delivered", 2))
        self.assertEqual(self.fb_ok("show", wp["ticket_id"])["integration"]["external_id"], wp_ext)

        # The document sent after the restart downloads; every link handed out before the crash
        # still works (the signing key is kept in the store).
        for _ in deadline_loop("the download after the restart"):
            got = [d for d in self.tool_state()["downloads"] if d["ticket_id"] == wp["ticket_id"]]
            if got:
                break
        self.assertEqual((got[0]["status"], base64.b64decode(got[0]["content_base64"])), (200, b"written before the crash\n"))
        self.assertEqual(got[0]["file_name"], doc["file_name"])
        again = self.tool_call("POST", "refetch")["downloads"]
        self.assertTrue(again)
        self.assertEqual([(d["status"], d["same_content"]) for d in again], [(200, True)] * len(again))

    def test_4_cli_exit_codes(self):
        rc, _, err = self.fb("show", "9999999999")
        self.assertEqual(rc, 4, err)
        rc, _, err = self.fb("create", "--json", "{not json")
        self.assertEqual(rc, 3, err)
        self.assertIn("CAUSEWAY/FB/", err)
        rc, _, err = self.fb("create")
        self.assertEqual(rc, 2, err)
        rc, _, err = self.fb("show", "1", password=None)
        self.assertEqual(rc, 2, err)
        rc, _, err = self.fb("list", password="wrong")
        self.assertEqual(rc, 3, err)
        wp = self.create_package("E2E refused")
        rc, _, err = self.fb("status", wp["ticket_id"], "E0020")  # Created → Completed: not allowed
        self.assertEqual(rc, 3, err)
        self.assertIn("CAUSEWAY/FB/011", err)
        item = self.create_item(wp, "S1CG", "E2E refused item")
        rc, _, err = self.fb("handover", item["ticket_id"])  # its package was never pushed
        self.assertEqual(rc, 3, err)
        rc, _, err = self.fb("system", url="http://127.0.0.1:9")
        self.assertEqual(rc, 1, err)


if __name__ == "__main__":
    unittest.main()
