"""Security matrix against the real server: every way in, and every way of being turned away."""
import os
import subprocess
import tempfile
import time
import unittest

from harness import SERVICE, Server, all_headers, basic, cookie_from, header

CANCEL = SERVICE + "JobCancel?JobName='00000000000000000000000000000000'&JobRunCount='00000000'"


class SecurityMatrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(idle=2)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def fetch(self, user="JOB_SCHEDULER", password="Welcome1!"):
        st, h, _ = self.server.request("HEAD", SERVICE, {"Authorization": basic(user, password),
                                                         "X-CSRF-Token": "Fetch"})
        self.assertEqual(st, 200)
        token = header(h, "x-csrf-token")
        cookie = cookie_from(h, "SAP_SESSIONID_CWY_100=")
        self.assertIsNotNone(token)
        self.assertIsNotNone(cookie)
        return token, cookie

    def assert_401(self, st, h, body):
        self.assertEqual(st, 401)
        self.assertEqual(header(h, "www-authenticate"), 'Basic realm="SAP NetWeaver Application Server [CWY/100]"')
        self.assertIn("sap-usercontext=sap-client=100; path=/", all_headers(h, "set-cookie"))
        self.assertTrue(header(h, "content-type").startswith("text/html"))
        self.assertIn(b"<html>", body)

    def assert_csrf_403(self, st, h, body):
        self.assertEqual(st, 403)
        self.assertEqual(header(h, "x-csrf-token"), "Required")
        self.assertEqual(header(h, "content-type"), "text/plain; charset=utf-8")
        self.assertEqual(body, b"CSRF token validation failed")

    def test_no_credentials(self):
        self.assert_401(*self.server.request("GET", SERVICE + "$metadata"))

    def test_wrong_password(self):
        self.assert_401(*self.server.request("GET", SERVICE, {"Authorization": basic("JOB_SCHEDULER", "nope")}))
        self.fetch()  # one failure does not lock

    def test_unknown_user_and_garbage_authorization(self):
        self.assert_401(*self.server.request("GET", SERVICE, {"Authorization": basic("NOBODY", "x")}))
        self.assert_401(*self.server.request("GET", SERVICE, {"Authorization": "Basic !!!"}))
        self.assert_401(*self.server.request("GET", SERVICE, {"Authorization": "Bearer abc"}))

    def test_locked_user_then_unlock(self):
        for _ in range(3):
            self.assert_401(*self.server.request("GET", SERVICE, {"Authorization": basic("LOCKME", "bad")}))
        self.assert_401(*self.server.request("GET", SERVICE, {"Authorization": basic("LOCKME", "Welcome1!")}))
        st, _, body = self.server.request("POST", "/_causeway/users/LOCKME/unlock",
                                          {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")})
        self.assertEqual(st, 200, body)
        st, _, _ = self.server.request("GET", SERVICE, {"Authorization": basic("LOCKME", "Welcome1!")})
        self.assertEqual(st, 200)

    def test_cookie_only_and_token_roundtrip(self):
        token, cookie = self.fetch()
        st, h, body = self.server.request("GET", SERVICE + "$metadata", {"Cookie": cookie})
        self.assertEqual(st, 200, body)
        st, h, body = self.server.request("POST", CANCEL, {"Cookie": cookie, "X-CSRF-Token": token})
        # Past CSRF: the service answers (an unknown job is APJ_RT/039).
        self.assertEqual(st, 400, body)
        self.assertIn(b"APJ_RT/039", body)

    def test_missing_wrong_and_foreign_csrf_token(self):
        token, cookie = self.fetch()
        other_token, other_cookie = self.fetch()
        auth = basic("JOB_SCHEDULER", "Welcome1!")
        cases = {
            "missing": {"Cookie": cookie},
            "wrong": {"Cookie": cookie, "X-CSRF-Token": "AAAAAAAAAAAAAAAAAAAAAA=="},
            "other session's": {"Cookie": other_cookie, "X-CSRF-Token": token},
            "no cookie": {"Authorization": auth, "X-CSRF-Token": token},
        }
        for name, headers in cases.items():
            for method in ("POST", "PUT", "PATCH", "MERGE", "DELETE"):
                with self.subTest(case=name, method=method):
                    self.assert_csrf_403(*self.server.request(method, CANCEL, headers))
        with self.subTest(case="$batch"):
            self.assert_csrf_403(*self.server.request("POST", SERVICE + "$batch",
                                                      {"Cookie": cookie, "Content-Type": "multipart/mixed; boundary=b"},
                                                      b"--b--\r\n"))

    def test_expired_session(self):
        token, cookie = self.fetch()
        time.sleep(3)  # idle timeout of this server is 2 s
        self.assert_401(*self.server.request("GET", SERVICE, {"Cookie": cookie}))
        self.assert_401(*self.server.request("POST", CANCEL, {"Cookie": cookie, "X-CSRF-Token": token}))

    def test_a_cookie_jar_written_once_stays_logged_on_while_in_use(self):
        """curl scripts write the cookie jar at the token fetch (-c) and only read it after (-b):
        the session is idle from its last use, as on Gateway, not from the cookie's own time."""
        jar = os.path.join(tempfile.mkdtemp(), "jar")
        base = self.server.base + SERVICE

        def curl(*args):
            p = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30", *args],
                               capture_output=True, text=True, timeout=60)
            return p.stdout

        self.assertEqual(curl("-u", "JOB_SCHEDULER:Welcome1!", "-c", jar, "-H", "X-CSRF-Token: Fetch", base), "200")
        for _ in range(4):  # 4 s in use; the idle timeout of this server is 2 s
            time.sleep(1)
            self.assertEqual(curl("-b", jar, base + "JobTemplateSet?$top=1"), "200")
        time.sleep(3)
        self.assertEqual(curl("-b", jar, base), "401")

    def test_unarranged_service_is_403_gateway_error(self):
        st, h, body = self.server.request("GET", SERVICE + "?$format=json", {"Authorization": basic("NOARR", "Welcome1!")})
        self.assertEqual(st, 403)
        self.assertIn(b'"code":"/IWFND/CM_CONSUMER/101"', body)
        st, h, body = self.server.request("GET", SERVICE, {"Authorization": basic("NOARR", "Welcome1!")})
        self.assertEqual(st, 403)
        self.assertIn(b"<code>/IWFND/CM_CONSUMER/101</code>", body)
        # A business user has no arrangement for the API either; the control plane is separate.
        st, _, _ = self.server.request("GET", SERVICE, {"Authorization": basic("PLANNER", "Welcome1!")})
        self.assertEqual(st, 403)
        st, _, _ = self.server.request("GET", "/_causeway/metrics", {"Authorization": basic("JOB_SCHEDULER", "Welcome1!")})
        self.assertEqual(st, 403)

    def test_secrets_never_logged(self):
        token, cookie = self.fetch()
        self.server.request("POST", CANCEL, {"Cookie": cookie, "X-CSRF-Token": token})
        self.server.request("GET", SERVICE, {"Authorization": basic("JOB_SCHEDULER", "wrong-secret-pw")})
        logs = self.server.read_log() + self.server.read_file("access.log")
        for secret in ("Welcome1!", "wrong-secret-pw", token, cookie.split("=", 1)[1],
                       basic("JOB_SCHEDULER", "Welcome1!").split()[1]):
            self.assertNotIn(secret, logs)


if __name__ == "__main__":
    unittest.main()
