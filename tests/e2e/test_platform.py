"""Platform behaviour of the real binary: health, metrics, bad input, TLS, graceful shutdown."""
import json
import os
import ssl
import subprocess
import tempfile
import time
import unittest

from harness import BINARY, SERVICE, STORE, Server, basic, raw_exchange

ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}


class Platform(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(request_timeout_ms=1000)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assert_still_serving(self):
        st, _, body = self.server.request("GET", "/_causeway/health")
        self.assertEqual(st, 200)
        self.assertEqual(json.loads(body)["status"], "ok")

    def test_health_is_public_json(self):
        st, h, body = self.server.request("GET", "/_causeway/health")
        self.assertEqual(st, 200)
        doc = json.loads(body)
        self.assertEqual(doc["store"], {"kind": STORE, "state": "ok"})
        self.assertIn("version", doc)

    def test_opens_libcurl_and_libpq_only_when_it_needs_them(self):
        # Each drags some twenty libraries along (GnuTLS, LDAP, Kerberos, …): about 4 MiB idle RSS.
        with open(f"/proc/{self.server.proc.pid}/maps") as f:
            libraries = {line.split()[-1].rsplit("/", 1)[-1] for line in f if "/" in line}
        loaded = lambda prefix: any(name.startswith(prefix) for name in libraries)  # noqa: E731
        self.assertFalse(loaded("libcurl"), "nothing was sent outbound yet")
        if STORE == "postgres":
            self.assertTrue(loaded("libpq.so"))
        else:
            self.assertFalse(loaded("libpq.so"), "the store is SQLite")
            self.assertFalse(loaded("libgnutls"), "GnuTLS comes only with libpq (LDAP) or libcurl")

    def test_metrics_need_the_control_arrangement(self):
        self.assertEqual(self.server.request("GET", "/_causeway/metrics")[0], 401)
        # The control plane's 401 is JSON like its other answers, with the gate's challenge.
        for path in ("/_causeway/users", "/_causeway/outbox/destinations", "/_causeway/tasks", "/_causeway/templates"):
            st, h, body = self.server.request("GET", path)
            self.assertEqual(st, 401, path)
            self.assertTrue(dict(h)["content-type"].startswith("application/json"), (path, h))
            self.assertEqual(json.loads(body)["error"]["code"], "CAUSEWAY/HTTP/401", path)
            self.assertIn("Basic realm=", dict(h)["www-authenticate"], path)
        self.server.request("GET", SERVICE, {"Authorization": basic("JOB_SCHEDULER", "Welcome1!")})
        st, h, body = self.server.request("GET", "/_causeway/metrics", ADMIN)
        self.assertEqual(st, 200)
        text = body.decode()
        self.assertIn('causeway_requests_total{service="BC_EXT_APPJOB_MANAGEMENT",status="200"}', text)
        self.assertIn("causeway_request_duration_seconds_bucket", text)
        self.assertIn("causeway_open_connections", text)
        self.assertIn("causeway_requests_in_flight", text)

    def test_control_plane_methods(self):
        """Every control-plane GET resource answers HEAD (RFC 9110 §9.1) and every 405 names in
        allow what the resource serves (§15.5.6); list routes share one paging parser."""
        for path in ["/_causeway/users", "/_causeway/metrics", "/_causeway/templates", "/_causeway/messages",
                     "/_causeway/messages/summary", "/_causeway/outbox/destinations",
                     "/_causeway/task-activity/tasks", "/_causeway/task-activity/errors", "/_causeway/fb/objects",
                     "/_causeway/fb/system", "/_causeway/business-agreement/agreements"]:
            st, h, body = self.server.request("HEAD", path, ADMIN)
            self.assertEqual((st, body), (200, b""), path)
            self.assertIn("content-type", dict(h), path)
        for method, path, allow in [("POST", "/_causeway/users", "GET, HEAD"),
                                    ("GET", "/_causeway/users/CAUSEWAY_ADMIN/lock", "POST"),
                                    ("DELETE", "/_causeway/fb/objects/1", "GET, HEAD, PATCH"),
                                    ("DELETE", "/_causeway/fb/objects", "GET, HEAD, POST"),
                                    ("POST", "/_causeway/task-activity/tasks", "GET, HEAD"),
                                    ("POST", "/_causeway/messages", "GET, HEAD"),
                                    ("POST", "/_causeway/health", "GET, HEAD")]:
            st, h, body = self.server.request(method, path, ADMIN)
            self.assertEqual((st, dict(h).get("allow")), (405, allow), (method, path, body))
            self.assertTrue(json.loads(body)["error"]["code"], (method, path))
        for path in ["/_causeway/messages", "/_causeway/outbox/messages", "/_causeway/fb/objects",
                     "/_causeway/task-activity/tasks", "/_causeway/task-activity/errors",
                     "/_causeway/business-agreement/agreements"]:
            for limit in ["0", "99999999999999999999"]:
                st, _, body = self.server.request("GET", path + "?limit=" + limit, ADMIN)
                self.assertEqual(st, 400, (path, limit))
                self.assertEqual(json.loads(body)["error"]["code"], "CAUSEWAY/CONTROL/010", (path, limit))

    def control_cli(self, *args, password="Admin1!", base=None):
        env = dict(os.environ)
        env.pop("CAUSEWAY_PASSWORD", None)
        if password is not None:
            env["CAUSEWAY_PASSWORD"] = password
        p = subprocess.run([BINARY, *args, "--url", base or self.server.tls_base, "--admin", "CAUSEWAY_ADMIN"],
                           env=env, capture_output=True, text=True, timeout=60)
        return p.returncode, p.stdout, p.stderr

    def test_control_commands_share_their_options_and_exit_codes(self):
        """Every command that calls a running server reaches it over https the same way (the
        server's self-signed certificate trusted with --cacert or its alias --ca-file, or
        --insecure), and exits alike: 0, 4 for 404, 3 for another 4xx, 2 for a usage error, 1
        without an answer."""
        cert = os.path.join(self.server.dir, "tls", "cert.pem")
        commands = [["task", "list"], ["messages", "summary"], ["outbox", "destinations"], ["fb", "system"],
                    ["user", "unlock", "JOB_SCHEDULER"]]
        for command in commands:
            with self.subTest(command=command):
                rc, _, err = self.control_cli(*command)
                self.assertEqual(rc, 1, err)  # the certificate is not trusted
                self.assertIn("certificate", err.lower())
                rc, out, err = self.control_cli(*command, "--cacert", cert)
                self.assertEqual(rc, 0, err)
                self.assertTrue(json.loads(out), out)
                rc, out, err = self.control_cli(*command, "--ca-file", cert)
                self.assertEqual(rc, 0, err)
                rc, out, err = self.control_cli(*command, "--insecure")
                self.assertEqual(rc, 0, err)
                rc, _, err = self.control_cli(*command, "--insecure", password="wrong")
                self.assertEqual(rc, 3, err)
                rc, _, err = self.control_cli(*command, password=None)
                self.assertEqual(rc, 2, err)
                self.assertIn("CAUSEWAY_PASSWORD", err)
                rc, _, err = self.control_cli(*command, base="ftp://127.0.0.1:1")
                self.assertEqual(rc, 2, err)
        rc, _, err = self.control_cli("task", "show", "999999999", base=self.server.base)
        self.assertEqual(rc, 4, err)
        rc, _, err = self.control_cli("messages", "list", "--limit", "0", base=self.server.base)
        self.assertEqual(rc, 3, err)  # the server refuses the limit (400)
        rc, _, err = self.control_cli("outbox", "list", base="http://127.0.0.1:9")
        self.assertEqual(rc, 1, err)  # nothing listens there

    def test_malformed_request_line(self):
        out = raw_exchange(self.server.port, b"BLAH\x00\x01 / HTTP/9.9\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 400"), out[:80])
        self.assert_still_serving()

    def test_oversized_header(self):
        out = raw_exchange(self.server.port, b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 40000 + b"\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 431"), out[:80])
        self.assert_still_serving()

    def test_oversized_body(self):
        out = raw_exchange(self.server.port, b"POST " + SERVICE.encode() + b"$batch HTTP/1.1\r\nHost: x\r\n"
                           b"Content-Length: 5000000\r\n\r\n" + b"x" * 2000000)
        self.assertTrue(out.startswith(b"HTTP/1.1 413"), out[:80])
        self.assert_still_serving()

    def test_invalid_utf8_in_path_and_query(self):
        st, _, body = self.server.request("GET", SERVICE + "JobStatusGet?JobName='%C3%28'&JobRunCount='%FF'&$format=json",
                                          {"Authorization": basic("JOB_SCHEDULER", "Welcome1!")})
        self.assertIn(st, (400, 404))
        self.assertIn(b'"error"', body)
        out = raw_exchange(self.server.port, b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        self.assertTrue(out.startswith(b"HTTP/1.1 4"), out[:80])
        self.assert_still_serving()

    def test_slowloris_gets_408_and_others_are_served(self):
        import socket
        slow = socket.create_connection(("127.0.0.1", self.server.port))
        slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        self.assert_still_serving()  # while the slow one dangles
        slow.settimeout(5)
        data = slow.recv(1024)
        self.assertTrue(data.startswith(b"HTTP/1.1 408"), data)
        slow.close()

    def test_https_with_self_signed_certificate(self):
        st, h, body = self.server.request("GET", SERVICE, {"Authorization": basic("JOB_SCHEDULER", "Welcome1!")},
                                          conn=self.server.conn(tls=True))
        self.assertEqual(st, 200)
        cookie = [v for k, v in h if k == "set-cookie" and v.startswith("SAP_SESSIONID")][0]
        self.assertIn("secure", cookie.lower())
        self.assertIn("HttpOnly", cookie)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
        with self.assertRaises(Exception):
            self.server.request("GET", "/_causeway/health", conn=self.server.conn(tls=True, context=ctx))


class GracefulShutdown(unittest.TestCase):
    def test_sigterm_finishes_in_flight_and_exits_zero(self):
        server = Server()
        try:
            t0 = time.monotonic()
            server.proc.terminate()
            self.assertEqual(server.proc.wait(timeout=15), 0)
            self.assertLess(time.monotonic() - t0, 10)
        finally:
            server.close()


class StrictConfiguration(unittest.TestCase):
    """A file that says something the server would not do as written stops the start (exit 2)
    with one line naming the key, before anything listens or is stored."""

    def test_wrong_types_unknown_keys_and_sections_are_refused(self):
        if not BINARY:
            self.skipTest("CAUSEWAY_BIN not set")
        cases = [
            ('[[listeners]]\nport = "18080"\n', "[[listeners]] #1 port: must be an integer from 0 to 65535"),
            ("[server]\nmax_body_byte = 1024\n", "[server] max_body_byte: is not a known setting"),
            ("[security]\nmax_failed_logons = 0\n", "[security] max_failed_logons: must be an integer from 1 to 1000"),
            ("[task_activity]\nresponse_retention_s = -1\n", "[task_activity] response_retention_s: must be an integer"),
            ("[job]\nworkers = 2\n", "[job] is not a section of causeway.toml"),
        ]
        with tempfile.TemporaryDirectory(prefix="causeway-config-") as work:
            for text, expect in cases:
                path = os.path.join(work, "causeway.toml")
                with open(path, "w") as f:
                    f.write(f'[server]\ndata_dir = "{work}/data"\n' if not text.startswith("[server]") else "")
                    f.write(text)
                p = subprocess.run([BINARY, "serve", "--config", path], capture_output=True, text=True, timeout=30)
                self.assertEqual(p.returncode, 2, (text, p.stderr))
                self.assertIn(expect, p.stderr, text)
                self.assertFalse(os.path.exists(os.path.join(work, "data", "causeway.db")), text)


class StartTime(unittest.TestCase):
    def test_starts_and_answers_quickly(self):
        # Recorded for the figures; asserted loosely (a loaded CI machine must not flake).
        server = Server()
        try:
            elapsed = time.monotonic() - server.started_at
            self.assertLess(elapsed, 10)
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
