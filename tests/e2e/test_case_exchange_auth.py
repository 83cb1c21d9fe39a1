"""The tenant's own authentication and who may do what, on the real binary (spec B.3.1): both
token endpoints, 401 with an empty body for bad credentials, the token as LWSSO_COOKIE_KEY or
SMAX_AUTH_TOKEN (with or without TENANTID, with stray Set-Cookie attributes), many tokens of one
user at once, tokens that survive a restart (the signing key is a setting in the store), and the
authorization matrix of people × routes. SAP Gateway's Basic logon does not open these routes.
HEAD on every read route (RFC 9110 §9.3.2); a login names one person of a tenant."""
import json
import unittest
import urllib.parse

from harness import BINARY, Server, basic, raw_exchange

TENANT = "100000002"
AUTH = "/auth/authentication-endpoint/authenticate"
CONFIG = """
[case_exchange]
hash_iterations = 1000

[[case_exchange.tenants]]
id = "100000002"

[[case_exchange.tenants.external_systems]]
id = "SNOW"
authorized_user = "sx.snow"

[[case_exchange.tenants.external_systems]]
id = "JIRA"
authorized_user = "sx.jira"

[[case_exchange.tenants.groups]]
id = "20001"
name = "Internal"

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
id = "10030"
login = "sx.jira"
password = "Welcome1!"

[[case_exchange.tenants.people]]
id = "10040"
login = "rita.requester"
password = "pass word+1"

[[case_exchange.tenants]]
id = "200000003"

[[case_exchange.tenants.people]]
id = "10010"
login = "ana.agent"
password = "Welcome1!"
roles = ["agent"]
"""


class CaseExchangeAuth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BINARY:
            raise unittest.SkipTest("CAUSEWAY_BIN not set")
        cls.server = Server(extra_config=CONFIG)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def token(self, login, password="Welcome1!", tenant=TENANT):
        st, hdrs, body = self.server.request("POST", f"{AUTH}/token?TENANTID={tenant}",
                                             {"Content-Type": "application/json"},
                                             json.dumps({"Login": login, "Password": password}))
        self.assertEqual(st, 200, body)
        return body.decode()

    def rest(self, token, method, path, body=None, headers=None, cookie_name="LWSSO_COOKIE_KEY"):
        h = dict(headers or {})
        if token is not None:
            h["Cookie"] = f"{cookie_name}={token}"
        if body is not None:
            h.setdefault("Content-Type", "application/json")
        return self.server.request(method, f"/rest/{TENANT}/{path}", h,
                                   json.dumps(body) if isinstance(body, dict) else body)

    def test_token_endpoints(self):
        # The legacy GET: login and password in the query, decoded both ways.
        for q in ("login=rita.requester&password=pass+word%2B1", "login=rita.requester&password=pass%20word%2B1"):
            st, hdrs, body = self.server.request("GET", f"{AUTH}/login?{q}&TENANTID={TENANT}")
            self.assertEqual(st, 200, q)
            self.assertEqual(dict(hdrs)["content-type"], "text/plain; charset=utf-8")
            self.assertRegex(body.decode(), r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
        # Bad credentials, unknown user, unknown tenant: 401 with an empty body.
        for login, password, tenant in (("ana.agent", "nope", TENANT), ("ghost", "Welcome1!", TENANT),
                                        ("ana.agent", "Welcome1!", "1")):
            st, _, body = self.server.request("POST", f"{AUTH}/token?TENANTID={tenant}",
                                              {"Content-Type": "application/json"},
                                              json.dumps({"Login": login, "Password": password}))
            self.assertEqual((st, body), (401, b""), (login, tenant))
        st, _, body = self.server.request("GET", f"{AUTH}/login?login=ana.agent&password=nope&TENANTID={TENANT}")
        self.assertEqual((st, body), (401, b""))

    def test_cookie_forms_and_many_tokens(self):
        tokens = [self.token("sx.snow") for _ in range(20)]  # a client logs on before every call
        self.assertEqual(len(set(tokens)), 20)
        for t in tokens:
            st, _, body = self.rest(t, "GET", "ces?system=SNOW&time=0")
            self.assertEqual(st, 200, body)
        t = tokens[0]
        for cookie in (f"LWSSO_COOKIE_KEY={t}", f"SMAX_AUTH_TOKEN={t}", f"TENANTID={TENANT}; LWSSO_COOKIE_KEY={t}",
                       f'SMAX_AUTH_TOKEN="{t}"; Path=/; Secure; HttpOnly', f"LWSSO_COOKIE_KEY=stale, LWSSO_COOKIE_KEY={t}"):
            st, _, body = self.server.request("GET", f"/rest/{TENANT}/ces?system=SNOW&time=0", {"Cookie": cookie})
            self.assertEqual(st, 200, (cookie, body))
        # Gateway credentials do not open the tenant's routes.
        st, _, _ = self.server.request("GET", f"/rest/{TENANT}/ces?system=SNOW&time=0",
                                       {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")})
        self.assertEqual(st, 401)

    def test_authorization_matrix(self):
        agent, snow, jira = self.token("ana.agent"), self.token("sx.snow"), self.token("sx.jira")
        rita = self.token("rita.requester", "pass word+1")
        other = self.token("ana.agent", tenant="200000003")
        st, _, body = self.rest(agent, "POST", "ems/bulk", {"operation": "CREATE", "entities": [
            {"entity_type": "Change", "properties": {"DisplayLabel": "matrix", "OwningGroup": "20001"}}]})
        self.assertEqual(st, 200, body)
        cid = json.loads(body)["entity_result_list"][0]["entity"]["properties"]["Id"]
        incoming = {"entities": [{"entity_type": "Change", "properties": {"Id": cid, "Description": "x"},
                                  "ext_properties": {"ExternalSystem": "SNOW", "Operation": "Update"}}]}
        routes = [
            ("ems read", "GET", f"ems/Change/{cid}?layout=Id", None, {}),
            ("ems bulk", "POST", "ems/bulk", {"operation": "UPDATE", "entities": [
                {"entity_type": "Change", "properties": {"Id": cid, "Justification": "y"}}]}, {}),
            ("poll SNOW", "GET", "ces?system=SNOW&time=0", None, {}),
            ("incoming for SNOW", "POST", "ces", incoming, {}),
            ("add comment", "POST", f"collaboration/comments/Change/{cid}", {"Body": "hi"}, {}),
            ("read comments", "GET", f"collaboration/comments/Change/{cid}/comments", None, {}),
            ("upload", "POST", "frs/file-list", "bytes", {"fs_filename": "a.txt", "Content-Type": "text/plain"}),
            ("reference lookup", "GET", "ems/ExternalReference?filter=" + urllib.parse.quote(f"EntityId='{cid}'"), None, {}),
        ]
        callers = [("agent", agent), ("snow", snow), ("jira", jira), ("rita", rita), ("other tenant", other),
                   ("garbage", "x.y"), ("none", None)]
        expected = {
            "ems read":          [200, 200, 200, 200, 401, 401, 401],
            "ems bulk":          [200, 200, 200, 403, 401, 401, 401],
            "poll SNOW":         [403, 200, 403, 403, 401, 401, 401],
            "incoming for SNOW": [403, 200, 403, 403, 401, 401, 401],
            "add comment":       [200, 200, 200, 403, 401, 401, 401],
            "read comments":     [200, 200, 200, 200, 401, 401, 401],
            "upload":            [200, 200, 200, 403, 401, 401, 401],
            "reference lookup":  [200, 200, 200, 200, 401, 401, 401],
        }
        failures = []
        for name, method, path, body, headers in routes:
            for (who, tok), want in zip(callers, expected[name]):
                st, _, answer = self.rest(tok, method, path, body, headers)
                if st != want:
                    failures.append((name, who, st, want, answer[:200]))
                if st >= 400:
                    doc = json.loads(answer)
                    self.assertEqual(doc["meta"]["completion_status"], "FAILED")
                    self.assertEqual(doc["meta"]["errorDetails"]["httpStatus"], st)
        self.assertEqual(failures, [])

    def test_head_answers_as_get_without_a_body(self):
        agent, snow = self.token("ana.agent"), self.token("sx.snow")
        st, _, body = self.rest(agent, "POST", "ems/bulk", {"operation": "CREATE", "entities": [
            {"entity_type": "Change", "properties": {"DisplayLabel": "head", "OwningGroup": "20001"}}]})
        self.assertEqual(st, 200, body)
        cid = json.loads(body)["entity_result_list"][0]["entity"]["properties"]["Id"]
        st, _, body = self.rest(agent, "POST", "frs/file-list", "bytes", {"fs_filename": "a.txt", "Content-Type": "text/plain"})
        self.assertEqual(st, 200, body)
        guid = json.loads(body)["guid"]
        for path in (f"ems/Change/{cid}?layout=Id,PhaseId", "ems/Change", "ems/Person", "ems/PersonGroup",
                     "ems/ExternalReference", f"collaboration/comments/Change/{cid}/comments",
                     f"frs/file-list/{guid}", "ces?system=SNOW&time=0", "ems/Change/99999"):
            with self.subTest(path=path):
                st, hdrs, body = self.rest(snow, "GET", path)
                # On the wire: the GET's status, its content type and length, and no body at all.
                head = f"HEAD /rest/{TENANT}/{path} HTTP/1.1\r\nHost: x\r\nCookie: LWSSO_COOKIE_KEY={snow}\r\n" \
                       "Connection: close\r\n\r\n"
                raw = raw_exchange(self.server.port, head.encode())
                lines, _, rest = raw.partition(b"\r\n\r\n")
                status_line, *fields = lines.decode().split("\r\n")
                fields = dict(f.lower().split(": ", 1) for f in fields)
                self.assertEqual(int(status_line.split()[1]), st, raw)
                self.assertEqual(fields["content-type"], dict(hdrs)["content-type"])
                self.assertEqual(int(fields["content-length"]), len(body))
                self.assertEqual(rest, b"")
        # Where no GET is served, 405 stays, with HEAD listed where GET is.
        for method, path, allow in (("HEAD", "ems/bulk", "POST"), ("HEAD", "frs/file-list", "POST"),
                                    ("DELETE", "ces", "GET, HEAD, POST"), ("PUT", f"ems/Change/{cid}", "GET, HEAD"),
                                    ("DELETE", f"collaboration/comments/Change/{cid}/comments", "GET, HEAD, POST")):
            with self.subTest(method=method, path=path):
                st, hdrs, _ = self.rest(snow, method, path)
                self.assertEqual((st, dict(hdrs).get("allow")), (405, allow))
        st, hdrs, body = self.server.request("HEAD", f"{AUTH}/login?login=sx.snow&password=Welcome1!&TENANTID={TENANT}")
        self.assertEqual((st, body), (200, b""))
        self.assertIn("LWSSO_COOKIE_KEY=", dict(hdrs)["set-cookie"])

    def test_a_login_names_one_person_of_a_tenant(self):
        admin = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!"), "Content-Type": "application/json"}
        people = f"/_causeway/cx/tenants/{TENANT}/people"
        for pid, login in (("50003", "sx.snow"), ("50003", "SX.SNOW"), ("10040", "sx.snow")):
            with self.subTest(pid=pid, login=login):
                st, _, body = self.server.request("PUT", f"{people}/{pid}", admin,
                                                  json.dumps({"login": login, "password": "Welcome1!", "roles": ["agent"]}))
                self.assertEqual(st, 409, body)
                self.assertEqual(json.loads(body)["error"]["code"], "CAUSEWAY/CX/051")
        st, _, body = self.server.request("GET", f"/_causeway/cx/tenants/{TENANT}", admin)
        logins = {p["id"]: p["login"] for p in json.loads(body)["people"]}
        self.assertNotIn("50003", logins)
        self.assertEqual((logins["10020"], logins["10040"]), ("sx.snow", "rita.requester"))
        self.token("sx.snow")  # the holder still logs on
        # Another tenant's people are another matter.
        st, _, body = self.server.request("PUT", "/_causeway/cx/tenants/200000003/people/10020", admin,
                                          json.dumps({"login": "sx.snow"}))
        self.assertEqual(st, 200, body)

    def test_tokens_survive_a_restart(self):
        t = self.token("sx.snow")
        self.server.restart()
        st, _, body = self.rest(t, "GET", "ces?system=SNOW&time=0")
        self.assertEqual(st, 200, body)


if __name__ == "__main__":
    unittest.main()
