"""ManageTaskActivityIn under hostile input and restarts: a malformed-envelope corpus is answered
with SOAP faults (never a crash, never a 200), and a stored idempotent response survives a
restart of the server (kill -9 included)."""
import json
import os
import random
import re
import subprocess
import unittest

from harness import BINARY, Server, ServerCase, basic

PATH = "/sap/bc/srt/scs/sap/managetaskactivityin"
EXTRA_USERS = """
[[users]]
name = "TASK_SYNC"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_TASK_ACTIVITY"]
"""
EXTRA_CONFIG = """
[task_activity]
demo_master_data = true
"""
AUTH = {"Authorization": basic("TASK_SYNC", "Welcome1!"), "Content-Type": "text/xml; charset=utf-8"}
VALID = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header/><s:Body>'
         '<n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">'
         '<BasicMessageHeader><UUID>{uuid}</UUID></BasicMessageHeader>'
         '<ActivityTask actionCode="01"><ObjectNodeSenderTechnicalID>1</ObjectNodeSenderTechnicalID><Name>{name}</Name>'
         '</ActivityTask></n0:TaskActivityBundleMaintainRequest_sync_V1></s:Body></s:Envelope>')
FAULT = re.compile(rb"<faultstring xml:lang=\"en\">Web service processing error; .*Transaction ID [0-9A-F]{32}\)"
                   rb"</faultstring>")


def corpus():
    valid = VALID.format(uuid="0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10", name="x")
    cases = [
        b"", b"garbage", b"<", b"<?xml version='1.0'?>", b"\xff\xfe\x00<\x00x", b"<a>" * 10000,
        ('<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
         '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>' +
         valid.replace("<Name>x</Name>", "<Name>&d;</Name>")).encode(),
        ('<!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]>' + valid.replace("<Name>x</Name>", "<Name>&f;</Name>")).encode(),
        ('<!DOCTYPE x SYSTEM "http://127.0.0.1:1/x.dtd">' + valid).encode(),
        valid.replace("<Name>x</Name>", "<Name>&undeclared;</Name>").encode(),
        valid.replace('xmlns:n0="http://sap.com/xi/SAPGlobal20/Global"', "").encode(),
        valid.replace("http://schemas.xmlsoap.org/soap/envelope/", "urn:not-soap").encode(),
        valid.replace("<s:Header/>", "<s:Header/>" * 3).replace("</s:Body>", "<x/></s:Body>").encode(),
        ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>' + "<a>" * 500 + "</a>" * 500 +
         "</s:Body></s:Envelope>").encode(),
        valid.encode("utf-16"),
        valid.replace("<Name>x</Name>", "<Name>" + "x" * 300 + "</Name>").encode(),
        valid.replace('actionCode="01"', 'actionCode="01" actionCode="02"').encode(),
        valid.replace("<Name>x</Name>", "<Name><![CDATA[x]]></Name><Name>y</Name>").encode(),
    ]
    raw = valid.encode()
    rnd = random.Random(14)
    for cut in range(1, len(raw), max(1, len(raw) // 40)):
        cases.append(raw[:cut])
    for _ in range(60):
        b = bytearray(raw)
        for _ in range(rnd.randint(1, 8)):
            b[rnd.randrange(len(b))] = rnd.randrange(256)
        cases.append(bytes(b))
    return cases


class TaskActivityRobustness(ServerCase):
    extra_users, extra_config = EXTRA_USERS, EXTRA_CONFIG

    def post(self, body):
        return self.server.request("POST", PATH, AUTH, body)

    def test_malformed_corpus_gets_faults_and_no_crash(self):
        conn = self.server.conn()
        for i, body in enumerate(corpus()):
            st, _, out = self.server.request("POST", PATH, AUTH, body, conn=conn)
            if st == 200:
                # A mutation may still be a valid request; then it must be a real confirmation.
                self.assertIn(b"<Log>", out, (i, body))
                continue
            self.assertEqual(st, 500, (i, body, out))
            self.assertRegex(out, FAULT, (i, body))
        conn.close()
        st, _, _ = self.server.request("GET", "/_causeway/health")
        self.assertEqual(st, 200)
        self.assertIsNone(self.server.proc.poll())

    def test_stored_response_survives_a_restart(self):
        body = VALID.format(uuid="6f1e2d3c-4b5a-4968-8776-655443322110", name="restart").encode()
        st, _, first = self.post(body)
        self.assertEqual(st, 200, first)
        self.server.restart(kill=True)
        st, _, again = self.post(body)
        self.assertEqual(st, 200, again)
        self.assertEqual(first, again)
        st, _, listed = self.server.request("GET", "/_causeway/task-activity/tasks?limit=1000",
                                            {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")})
        names = [t["name"] for t in json.loads(listed)["tasks"]]
        self.assertEqual(names.count("restart"), 1)

    def test_cli_lists_and_shows_tasks(self):
        body = VALID.format(uuid="1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", name="seen by the CLI").encode()
        st, _, out = self.post(body)
        self.assertEqual(st, 200, out)
        task_id = re.search(rb"<ID>(\d+)</ID>", out).group(1).decode()
        env = dict(os.environ, CAUSEWAY_PASSWORD="Admin1!")
        common = ["--url", self.server.base, "--admin", "CAUSEWAY_ADMIN"]
        p = subprocess.run([BINARY, "task", "list", "--limit", "1000"] + common, env=env, capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("seen by the CLI", [t["name"] for t in json.loads(p.stdout)["tasks"]])
        p = subprocess.run([BINARY, "task", "show", task_id] + common, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["uuid"], json.loads(p.stdout)["uuid"].lower())
        self.assertEqual(json.loads(p.stdout)["name"], "seen by the CLI")
        p = subprocess.run([BINARY, "task", "show", "999999"] + common, env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 4)


if __name__ == "__main__":
    unittest.main()


class BehindATlsTerminatingProxy(unittest.TestCase):
    """[server] public_host with a scheme: the listener is plain HTTP (a proxy in front terminates
    TLS), yet the WSDL's service address and OData's xml:base must send clients to https."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_users=EXTRA_USERS, extra_config=EXTRA_CONFIG,
                            settings={"server": {"public_host": "https://causeway.example.com"}})

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_wsdl_and_odata_name_the_public_scheme_and_host(self):
        st, _, wsdl = self.server.request("GET", PATH + "?wsdl", {"Authorization": AUTH["Authorization"]})
        self.assertEqual(st, 200)
        addresses = re.findall(rb'address location="([^"]*)"', wsdl)
        self.assertEqual(addresses, [b"https://causeway.example.com" + PATH.encode() + b"?sap-vhost=causeway.example.com"] * 2)
        st, _, feed = self.server.request("GET", "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/JobTemplateSet?$top=1",
                                          {"Authorization": basic("JOB_ADMIN", "Welcome1!")})
        self.assertEqual(st, 200, feed)
        self.assertIn(b'xml:base="https://causeway.example.com/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/"', feed)

    def test_a_host_that_is_not_host_and_port_is_refused(self):
        st, _, body = self.server.request("GET", PATH + "?wsdl", {"Authorization": AUTH["Authorization"], "Host": 'a"><b'})
        self.assertEqual(st, 400, body)
