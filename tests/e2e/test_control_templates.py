"""Job templates edited at run time through the control plane: the change is stored, visible at
once in BC_EXT_APPJOB_MANAGEMENT (through its read cache), schedulable, survives a restart,
and the guard rails (arrangement, command switch, bad bodies) hold."""
import json
import unittest
from urllib.parse import quote

from harness import SERVICE, ODataSession, Server, basic

ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!"), "Content-Type": "application/json"}
NAME = "/Z/E2E_RUNTIME"
URL = "/_causeway/templates/" + quote(NAME, safe="")
KEY = "JobTemplateSet(JobTemplateName='%2FZ%2FE2E_RUNTIME',JobTemplateVersion='0')?$format=json"


class ControlTemplates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def put(self, body, url=URL, headers=ADMIN):
        st, _, out = self.server.request("PUT", url, headers, json.dumps(body).encode())
        return st, json.loads(out) if out else None

    def odata(self, path):
        st, _, body = self.server.request("GET", SERVICE + path, {"Authorization": basic("JOB_ADMIN", "Welcome1!")})
        return st, json.loads(body)

    def test_create_read_schedule_replace_delete(self):
        # Warm the OData read cache first, so the test proves a change is seen through it.
        st, before = self.odata("JobTemplateSet?$format=json")
        self.assertEqual(st, 200)
        self.assertNotIn(NAME, [t["JobTemplateName"] for t in before["d"]["results"]])

        st, doc = self.put({"text": "Runtime template", "steps": [{"kind": "noop"}, {"kind": "noop"}],
                            "parameters": [{"name": "P_X", "step": 2, "default": "7"}]})
        self.assertEqual(st, 201, doc)
        self.assertEqual(doc["name"], NAME)
        self.assertEqual(doc["created_by"], "CAUSEWAY_ADMIN")

        st, after = self.odata("JobTemplateSet?$format=json")
        entry = [t for t in after["d"]["results"] if t["JobTemplateName"] == NAME]
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry[0]["JobTemplateText"], "Runtime template")
        self.assertEqual(entry[0]["JobTemplateStepCount"], 2)

        session = ODataSession(self.server)
        name, count = session.schedule(NAME)
        self.assertEqual(session.wait_status(name, count, {"F", "A"}), "F")

        st, doc = self.put({"text": "Replaced", "steps": [{"kind": "noop"}]})
        self.assertEqual(st, 200, doc)
        self.assertEqual(doc["created_by"], "CAUSEWAY_ADMIN")
        st, one = self.odata(KEY)
        self.assertEqual(st, 200)
        self.assertEqual(one["d"]["JobTemplateText"], "Replaced")

        st, _, body = self.server.request("GET", URL, ADMIN)
        self.assertEqual(st, 200)
        self.assertEqual(json.loads(body)["steps"], [{"kind": "noop", "catalog_entry": NAME, "text": "Replaced"}])

        self.server.restart()
        st, one = self.odata(KEY)
        self.assertEqual((st, one["d"]["JobTemplateText"]), (200, "Replaced"))

        st, _, _ = self.server.request("DELETE", URL, ADMIN)
        self.assertEqual(st, 204)
        st, gone = self.odata(KEY)
        self.assertEqual(st, 404)
        st, _, body = self.server.request("DELETE", URL, ADMIN)
        self.assertEqual(st, 404)
        self.assertEqual(json.loads(body)["error"]["code"], "CAUSEWAY/CONTROL/001")

    def test_listing_has_the_demo_templates(self):
        st, _, body = self.server.request("GET", "/_causeway/templates", ADMIN)
        self.assertEqual(st, 200)
        names = [t["name"] for t in json.loads(body)["templates"]]
        self.assertIn("/IBP/LOG_DELETION", names)

    def test_command_steps_are_refused_without_the_switch(self):
        st, doc = self.put({"steps": [{"kind": "command", "argv": ["/bin/true"]}]}, url=URL + "_CMD")
        self.assertEqual(st, 403)
        self.assertEqual(doc["error"]["code"], "CAUSEWAY/CONTROL/011")

    def test_bad_body_names_the_field(self):
        st, doc = self.put({"steps": [{"kind": "noop", "colour": "red"}]}, url=URL + "_BAD")
        self.assertEqual(st, 400)
        self.assertIn("steps[0].colour", doc["error"]["message"])
        st, _, body = self.server.request("PUT", URL + "_BAD", ADMIN, b"{not json")
        self.assertEqual(st, 400)

    def test_engine_rules_and_bad_names_carry_the_control_code(self):
        # The engine's own rules came back with an empty code; control characters in a name were
        # stored on SQLite (PostgreSQL refused them with STORE/008).
        st, doc = self.put({"text": "x", "steps": [{"kind": "sleep"}], "parameters": [{"name": "P", "step": 99}]},
                           url=URL + "_P")
        self.assertEqual((st, doc["error"]["code"]), (400, "CAUSEWAY/CONTROL/010"), doc)
        self.assertIn("invalid name or step number", doc["error"]["message"])
        for name in ["%00", "Z%01", "Z%7F", "Z%C2%85", "Z%FF", "Z" * 41]:
            st, doc = self.put({"steps": [{"kind": "noop"}]}, url="/_causeway/templates/" + name)
            self.assertEqual((st, doc["error"]["code"]), (400, "CAUSEWAY/CONTROL/010"), name)
        st, _, body = self.server.request("GET", "/_causeway/templates", ADMIN)
        names = [t["name"] for t in json.loads(body)["templates"]]
        self.assertFalse([n for n in names if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in n)], names)

    def test_methods_head_and_allow(self):
        for url in ["/_causeway/templates", "/_causeway/templates/%2FIBP%2FLOG_DELETION"]:
            st, h, body = self.server.request("HEAD", url, ADMIN)
            self.assertEqual((st, body), (200, b""), url)
            self.assertEqual(dict(h)["content-type"], "application/json; charset=utf-8", url)
        st, h, body = self.server.request("POST", "/_causeway/templates", ADMIN)
        self.assertEqual((st, dict(h).get("allow")), (405, "GET, HEAD"), body)
        self.assertEqual(json.loads(body)["error"]["code"], "CAUSEWAY/CONTROL/002")
        st, h, _ = self.server.request("POST", URL, ADMIN)
        self.assertEqual((st, dict(h).get("allow")), (405, "GET, HEAD, PUT, DELETE"))

    def test_needs_the_control_arrangement(self):
        st, _, _ = self.server.request("PUT", URL, {"Authorization": basic("JOB_ADMIN", "Welcome1!")}, b"{}")
        self.assertEqual(st, 403)
        st, _, _ = self.server.request("GET", "/_causeway/templates")
        self.assertEqual(st, 401)


if __name__ == "__main__":
    unittest.main()
