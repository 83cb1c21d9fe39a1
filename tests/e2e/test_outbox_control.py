"""The outbox's control plane and `causeway outbox …` against the real server: destinations
without secrets, pause and resume kept in the store, message lookups, and who may use them."""
import json
import os
import subprocess
import unittest

from harness import BINARY, Server, basic

ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}
OUTBOX = """
[outbox]
node_id = "e2e"
[outbox.destinations.sandbox]
base_url = "http://127.0.0.1:9/tool"
user = "CAUSEWAY"
password = "S3cret-not-to-be-shown"
headers = { "X-Api-Key" = "key-material-not-to-be-shown" }
max_concurrent = 2
"""


class OutboxControl(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = Server(extra_config=OUTBOX)

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def cli(self, *args, password="Admin1!", user="CAUSEWAY_ADMIN"):
        env = dict(os.environ, CAUSEWAY_PASSWORD=password)
        p = subprocess.run([BINARY, "outbox", *args, "--url", self.srv.base, "--admin", user],
                           capture_output=True, text=True, env=env, timeout=60)
        return p.returncode, p.stdout, p.stderr

    def test_destinations_show_no_secret_and_pause_survives_a_restart(self):
        st, _, body = self.srv.request("GET", "/_causeway/outbox/destinations", ADMIN)
        self.assertEqual(st, 200, body)
        text = body.decode()
        self.assertNotIn("S3cret-not-to-be-shown", text)
        self.assertNotIn("key-material-not-to-be-shown", text)
        dest = {d["name"]: d for d in json.loads(text)["destinations"]}["sandbox"]
        self.assertEqual((dest["user"], dest["password_set"], dest["paused"]), ("CAUSEWAY", True, False))
        self.assertEqual(dest["header_names"], ["X-Api-Key"])

        rc, out, err = self.cli("pause", "sandbox")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out), {"destination": "sandbox", "paused": True})
        self.srv.restart()
        rc, out, err = self.cli("destinations")
        self.assertEqual(rc, 0, err)
        self.assertNotIn("S3cret-not-to-be-shown", out)
        self.assertTrue({d["name"]: d for d in json.loads(out)["destinations"]}["sandbox"]["paused"])
        rc, out, err = self.cli("resume", "sandbox")
        self.assertEqual((rc, json.loads(out)["paused"]), (0, False), err)

    def test_messages_lookups_and_errors(self):
        rc, out, err = self.cli("list", "--state", "failed")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["messages"], [])
        rc, _, err = self.cli("show", "999999")
        self.assertEqual(rc, 4, err)
        self.assertIn("CAUSEWAY/EXCHANGE/020", err)
        st, _, body = self.srv.request("GET", "/_causeway/outbox/messages?state=bogus", ADMIN)
        self.assertEqual(st, 400, body)
        self.assertEqual(json.loads(body)["error"]["code"], "CAUSEWAY/EXCHANGE/040")
        st, h, _ = self.srv.request("DELETE", "/_causeway/outbox/destinations", ADMIN)
        self.assertEqual((st, dict(h).get("allow")), (405, "GET, HEAD"))
        st, h, _ = self.srv.request("GET", "/_causeway/outbox/destinations/sandbox/pause", ADMIN)
        self.assertEqual((st, dict(h).get("allow")), (405, "POST"))
        st, _, body = self.srv.request("HEAD", "/_causeway/outbox/destinations", ADMIN)
        self.assertEqual((st, body), (200, b""))
        for limit in ["0", "1001", "99999999999999999999", "x"]:
            st, _, body = self.srv.request("GET", "/_causeway/outbox/messages?limit=" + limit, ADMIN)
            self.assertEqual(st, 400, limit)
            self.assertEqual(json.loads(body)["error"]["code"], "CAUSEWAY/CONTROL/010", limit)
        rc, _, err = self.cli("pause", "nope")
        self.assertEqual(rc, 4, err)

    def test_only_control_users(self):
        st, _, _ = self.srv.request("GET", "/_causeway/outbox/destinations")
        self.assertEqual(st, 401)
        st, _, _ = self.srv.request("GET", "/_causeway/outbox/destinations",
                                    {"Authorization": basic("JOB_SCHEDULER", "Welcome1!")})
        self.assertEqual(st, 403)
        rc, _, _ = self.cli("destinations", password="wrong")
        self.assertEqual(rc, 3)


if __name__ == "__main__":
    unittest.main()
