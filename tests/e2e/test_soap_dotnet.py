"""ManageTaskActivityIn and BusinessAgreementReplicationIn through a .NET client generated from the
served WSDLs with Mono (Debian mono-devel, `scripts/install-deps.sh` with CAUSEWAY_TEST_DEPS=1):
`wsdl` (Mono's wsdl.exe, what Visual Studio's "Add Web Reference" runs) fetches each WSDL itself
with the credentials given as `-u:`/`-p:` (it answers the server's 401 challenge with Basic; no
download by hand is needed) and writes one `SoapHttpClientProtocol` proxy per service into its
own namespace (both services are named `service`), `mcs` compiles `dotnet/Client.cs` with them
against System.Web.Services, and `mono` runs it. The program sets `Url`, `NetworkCredential` and
`PreAuthenticate` as .NET code does and calls both services: create with nested parts (SOAP 1.1,
the `binding` port wsdl.exe picks), update with the returned ChangeStateID over SOAP 1.2
(`SoapVersion`), a stale ChangeStateID, CheckMaintainBundle, schema faults (SoapException) in
both versions, a one-way message (202, empty body) and its schema fault, a wrong password (401,
WebException). It prints one JSON line with every call's result or exception and the bytes on
the wire, recorded by a SoapExtension registered in `client.exe.config` (the .NET way to trace
SOAP messages) and by GetWebRequest/GetWebResponse overrides in partial classes of the proxies.
The generated and compiled client is kept in `<build>/e2e-mono/<key>`, keyed by a hash of both
WSDLs (their addresses masked), the program's source and configuration and Mono's version, so
reruns skip wsdl and mcs. A missing tool or assembly fails the test (no skipping).

Why wsdl.exe and not svcutil (WCF): Mono's `svcutil` is there but cannot generate a client from
these WSDLs, nor from SAP's own (the part names are the same, e.g. ByD's
ManageIdentifiedStocksIn): it takes no credentials (it fetches URLs through DISCO and
WS-MetadataExchange only, both unauthenticated: 401), refuses `.wsdl`/`.xml` files ("Not
supported file extension"), and given the WSDL on an unauthenticated URL its WsdlImporter
rejects every port type ("Only 'parameters' element in message part is supported": A2X message
parts are named after their message) and writes an empty file. Microsoft's svcutil falls back to
XmlSerializer there; Mono's does not.

What the test works around or notes, on Mono's side (the server does what SAP's runtime does):
- Mono's System.Web.Services is Microsoft's reference source: a SoapExtension may not touch the
  streams in ChainStream (InvalidOperationException "…can't be accessed in the BeforeSerialize
  stage"), so the trace copies them in AfterSerialize/BeforeDeserialize, as MSDN's sample does.
- Some of Mono's resource strings come out unformatted: a 401 is a WebException whose Message is
  literally "The request failed with HTTP status {0}: {1}." and wsdl.exe reports a refused
  download as "There was an error downloading '{0}'."; the test reads the status instead.
- With PreAuthenticate, Mono sends Basic with the first request; .NET Framework sends it only
  after a first 401 for the URL (so there one call more shows a 401 in the access log).
- A SOAP 1.2 SoapException has Lang "": System.Web.Services reads xml:lang only from SOAP 1.1's
  faultstring ("en"), never from SOAP 1.2's env:Reason/env:Text, where the server writes it.
- .NET sends `Expect: 100-continue` on every POST; the server's interim 100 keeps the calls fast.
- No CookieContainer, as in most .NET code: the server's SAP_SESSIONID cookie is not sent back.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from harness import ServerCase, basic, build_dir
from test_soap_php import (BUAG_PATH, EXTRA_CONFIG, EXTRA_USERS, GENERIC_FAULT, TASK_PATH,
                           assert_log, assert_updated_task)

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_SOURCE = os.path.join(HERE, "dotnet", "Client.cs")
CLIENT_CONFIG = os.path.join(HERE, "dotnet", "client.exe.config")
WEB_SERVICES_DLL = "/usr/lib/mono/4.5/System.Web.Services.dll"
USER, PASSWORD = "DOTNET_COMM", "Welcome1!"
# One communication user for both arrangements, as one "Add Web Reference" credential.
DOTNET_USERS = EXTRA_USERS + f"""
[[users]]
name = "{USER}"
kind = "communication"
password = "{PASSWORD}"
scenarios = ["CAUSEWAY_TASK_ACTIVITY", "CAUSEWAY_BUSINESS_AGREEMENT"]
"""
# The generated proxies' namespaces (one web reference each) and the services they come from.
REFERENCES = (("TaskActivity", TASK_PATH), ("BusinessAgreement", BUAG_PATH))
MCS_FLAGS = ["-nologo", "-target:exe", "-out:client.exe", "-r:System.Web.Services", "-r:System.Xml"]
# Bump when the build steps below change in a way the key does not see.
RECIPE = "1"
SOAP11_NS, SOAP12_NS = "http://schemas.xmlsoap.org/soap/envelope/", "http://www.w3.org/2003/05/soap-envelope"


def run(args, cwd, timeout=300):
    started = time.monotonic()
    p = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return p, time.monotonic() - started


def masked(text):
    """A WSDL or generated proxy without what changes from run to run: the server's port."""
    return re.sub(r"127\.0\.0\.1:\d+", "<host>", text)


def proxy_url(source):
    """The default Url a generated proxy's constructor sets (wsdl.exe splits long literals)."""
    joined = re.sub(r'"\s*\+\s*"', "", source)
    return re.search(r'this\.Url = "([^"]*)";', joined).group(1)


def header(wire, side, name):
    """A recorded header's value (names as .NET gives them, compared without case)."""
    return next((v for k, v in wire.get(side + "_headers", []) if k.lower() == name.lower()), None)


class SoapDotnet(ServerCase):
    extra_users, extra_config = DOTNET_USERS, EXTRA_CONFIG

    def tools(self):
        found = {t: shutil.which(t) for t in ("wsdl", "mcs", "mono")}
        missing = [t for t, p in found.items() if not p]
        self.assertEqual(missing, [], "the .NET client needs Debian mono-devel (wsdl, mcs, mono): "
                                      "CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh")
        self.assertTrue(os.path.exists(WEB_SERVICES_DLL), f"{WEB_SERVICES_DLL} is missing (Debian "
                                                          "libmono-system-web-services4.0-cil, from mono-devel)")
        p = subprocess.run(["mono", "--version"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout.splitlines()[0]

    def served_wsdls(self):
        texts = []
        for _, path in REFERENCES:
            st, _, body = self.server.request("GET", path + "?wsdl", {"Authorization": basic(USER, PASSWORD)})
            self.assertEqual(st, 200, body[:300])
            texts.append(body.decode("utf-8"))
        return texts

    def build_client(self):
        """wsdl and mcs unless <build>/e2e-mono holds a client for the same key. Returns the
        client's folder and what was timed."""
        version = self.tools()
        wsdls = self.served_wsdls()
        with open(CLIENT_SOURCE, "rb") as f:
            source = f.read()
        with open(CLIENT_CONFIG, "rb") as f:
            config = f.read()
        key = hashlib.sha256(b"\0".join([RECIPE.encode(), version.encode(), " ".join(MCS_FLAGS).encode(), source,
                                         config, *(masked(w).encode() for w in wsdls)])).hexdigest()[:16]
        root = os.path.join(build_dir(), "e2e-mono")
        target = os.path.join(root, key)
        timings = {}
        if os.path.exists(os.path.join(target, "client.exe")):
            timings["cached"] = True
            return target, timings
        os.makedirs(root, exist_ok=True)
        work = tempfile.mkdtemp(prefix="tmp-", dir=root)
        try:
            # A wrong password: the download is refused, nothing is written (one failed logon of three).
            url = self.server.base + TASK_PATH + "?wsdl"
            p, _ = run(["wsdl", "-nologo", f"-u:{USER}", "-p:wrong", "-out:wrong.cs", url], work)
            self.assertNotEqual(p.returncode, 0, p.stdout[-2000:])
            self.assertIn("There was an error downloading", p.stdout + p.stderr)
            self.assertFalse(os.path.exists(os.path.join(work, "wrong.cs")))

            # "Add Web Reference" with credentials: wsdl.exe fetches each WSDL itself.
            started = time.monotonic()
            for (namespace, path), text in zip(REFERENCES, wsdls):
                url = self.server.base + path + "?wsdl"
                p, _ = run(["wsdl", "-nologo", f"-n:{namespace}", f"-u:{USER}", f"-p:{PASSWORD}",
                            f"-out:{namespace}.cs", url], work)
                self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
                # The policy's assertions are extensions wsdl.exe does not implement; it goes on.
                self.assertIn("WARNING: At least one optional extension has been ignored", p.stdout)
                # It asked without credentials first and answered the 401 challenge with Basic.
                challenge = [("-", 401), (USER, 200)]
                self.assertEqual(self.access_log("GET", path, lambda lines: lines[-2:] == challenge)[-2:], challenge)
                with open(os.path.join(work, f"{namespace}.cs"), encoding="utf-8") as f:
                    generated = f.read()
                self.assertEqual(proxy_url(generated), f"{self.server.base}{path}?sap-vhost=127.0.0.1")
                self.assertIn('[System.Web.Services.WebServiceBindingAttribute(Name="binding", '
                              'Namespace="http://sap.com/xi/A1S/Global")]', generated)
                # The same proxy from a copy downloaded by hand (the way for tools without credentials).
                local = os.path.join(work, "local")
                os.makedirs(local, exist_ok=True)
                with open(os.path.join(local, "service.wsdl"), "w", encoding="utf-8") as f:
                    f.write(text)
                p, _ = run(["wsdl", "-nologo", f"-n:{namespace}", f"-out:{namespace}.cs", "service.wsdl"], local)
                self.assertEqual(p.returncode, 0, p.stdout[-2000:])
                with open(os.path.join(local, f"{namespace}.cs"), encoding="utf-8") as f:
                    self.assertEqual(masked(f.read()), masked(generated))
            timings["wsdl"] = time.monotonic() - started
            with open(os.path.join(work, "BusinessAgreement.cs"), encoding="utf-8") as f:
                self.assertIn("OneWay=true", f.read())

            shutil.copy(CLIENT_SOURCE, os.path.join(work, "Client.cs"))
            shutil.copy(CLIENT_CONFIG, os.path.join(work, "client.exe.config"))
            p, timings["mcs"] = run(["mcs", *MCS_FLAGS, "TaskActivity.cs", "BusinessAgreement.cs", "Client.cs"], work)
            self.assertEqual(p.returncode, 0, p.stdout[-4000:] + p.stderr[-2000:])
            shutil.rmtree(os.path.join(work, "local"))
            try:
                os.rename(work, target)
            except OSError:  # another run put the same key in place first
                self.assertTrue(os.path.exists(os.path.join(target, "client.exe")))
            else:
                work = None
            for old in os.listdir(root):  # keep only the current key
                if old != key and re.fullmatch(r"[0-9a-f]{16}", old):
                    shutil.rmtree(os.path.join(root, old), ignore_errors=True)
            return target, timings
        finally:
            if work:
                shutil.rmtree(work, ignore_errors=True)

    def test_dotnet_client(self):
        started = time.monotonic()
        folder, timings = self.build_client()
        built = time.monotonic() - started
        p = subprocess.run(["mono", "client.exe", self.server.base, USER, PASSWORD], cwd=folder,
                           capture_output=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout.decode(errors="replace")[-2000:] +
                         p.stderr.decode(errors="replace")[-3000:])
        out = json.loads(p.stdout.decode("utf-8").strip().splitlines()[-1])
        print(f"\nMono {out['runtime']}: client {'cached' if timings.get('cached') else 'built'} in {built:.1f} s "
              f"({', '.join(f'{k} {v:.2f} s' for k, v in timings.items() if k != 'cached')}), "
              f"calls {time.monotonic() - started - built:.1f} s", file=sys.stderr)
        for name, step in out.items():
            if isinstance(step, dict):  # as .NET code keeps it by default: no CookieContainer
                self.assertIsNone(header(step["wire"], "request", "Cookie"), name)
                self.assertEqual(header(step["wire"], "request", "Expect"), "100-continue", name)
        self.check_task_activity(out)
        self.check_business_agreement(out)

    # ---- ManageTaskActivityIn -------------------------------------------------------------------
    def result(self, step):
        self.assertNotIn("error", step, step.get("error"))
        return step["result"]

    def assert_log(self, log, result, items):
        assert_log(self, log, result, items)

    def assert_soap11(self, step, operation, status=200):
        wire = step["wire"]
        self.assertEqual((wire["method"], wire["status"]), ("POST", status))
        self.assertEqual(header(wire, "request", "Content-Type"), "text/xml; charset=utf-8")
        self.assertEqual(header(wire, "request", "SOAPAction"), f'"http://sap.com/xi/A1S/Global/{operation}Request"')
        self.assertTrue(wire["request"].startswith('<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
                                                   f'xmlns:soap="{SOAP11_NS}" '), wire["request"][:300])
        if wire["response"]:
            self.assertEqual(header(wire, "response", "Content-Type"), "text/xml; charset=utf-8")
            self.assertTrue(wire["response"].startswith(f'<soap-env:Envelope xmlns:soap-env="{SOAP11_NS}">'
                                                        "<soap-env:Header/><soap-env:Body>"), wire["response"])

    def assert_soap12(self, step, operation, status=200):
        wire = step["wire"]
        self.assertEqual((wire["method"], wire["status"]), ("POST", status))
        self.assertEqual(header(wire, "request", "Content-Type"), "application/soap+xml; charset=utf-8; "
                         f'action="http://sap.com/xi/A1S/Global/{operation}Request"')
        self.assertIsNone(header(wire, "request", "SOAPAction"))
        self.assertTrue(wire["request"].startswith('<?xml version="1.0" encoding="utf-8"?><soap:Envelope '
                                                   f'xmlns:soap="{SOAP12_NS}" '), wire["request"][:300])
        self.assertEqual(header(wire, "response", "Content-Type"), "application/soap+xml; charset=utf-8")
        self.assertTrue(wire["response"].startswith(f'<env:Envelope xmlns:env="{SOAP12_NS}"><env:Header/>'
                                                    "<env:Body>"), wire["response"])

    def check_task_activity(self, s):
        create = s["create"]
        self.assert_soap11(create, "ManageTaskActivityIn/MaintainBundle")
        self.assertEqual(header(create["wire"], "request", "Authorization"), basic(USER, PASSWORD))
        request = create["wire"]["request"]
        self.assertIn('<soap:Body><TaskActivityBundleMaintainRequest_sync_V1 xmlns="http://sap.com/xi/SAPGlobal20/Global">'
                      '<BasicMessageHeader xmlns=""><ID>DOTNET-CREATE-1</ID></BasicMessageHeader>'
                      '<ActivityTask actionCode="01" textListCompleteTransimissionIndicator="true" xmlns="">', request)
        # DateTimeKind.Utc with Z, seven fractional digits where the ticks need them.
        self.assertIn('<ScheduledPeriod><StartDateTime timeZoneCode="CET">2024-09-02T07:00:00Z</StartDateTime>'
                      '<EndDateTime timeZoneCode="UTC-5">2024-09-03T15:45:00.1234567Z</EndDateTime></ScheduledPeriod>',
                      request)
        self.assertIn("<MainIndicator>true</MainIndicator>", request)
        self.assertIn("<ContentText>Grüße aus .NET – ½ € 👍</ContentText>", request)
        self.assertTrue(create["wire"]["response"].startswith(
            f'<soap-env:Envelope xmlns:soap-env="{SOAP11_NS}"><soap-env:Header/><soap-env:Body>'
            '<n0:TaskActivityBundleMaintainConfirmation_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global"'),
            create["wire"]["response"])
        result = self.result(create)
        self.assert_log(result["Log"], "3", [])
        tasks = result["ActivityTask"]
        self.assertEqual([t["ReferenceObjectNodeSenderTechnicalID"] for t in tasks], ["N1", "N2"])
        self.assertEqual(tasks[0]["UUID"], "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d")
        for t in tasks:
            self.assertRegex(t["ChangeStateID"], r"^\d{14}\.\d{7}$")
            self.assertRegex(t["ID"], r"^\d+$")
            self.assertRegex(t["UUID"], r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        second = self.control("/_causeway/task-activity/tasks/" + tasks[1]["ID"])
        self.assertEqual((second["name"], second["processor"]["business_partner_id"],
                          second["employee_responsible"]["business_partner_id"]),
                         ("Second from .NET", "MC2471", "MC2472"))

        update = s["update12"]
        self.assert_soap12(update, "ManageTaskActivityIn/MaintainBundle")
        self.assertIn('<ActivityTask actionCode="02" referencePartyListCompleteTransimissionIndicator="true" xmlns="">'
                      f"<ObjectNodeSenderTechnicalID>N3</ObjectNodeSenderTechnicalID>"
                      f"<ChangeStateID>{tasks[0]['ChangeStateID']}</ChangeStateID>", update["wire"]["request"])
        result = self.result(update)
        self.assert_log(result["Log"], "3", [])
        [updated] = result["ActivityTask"]
        self.assertEqual((updated["ReferenceObjectNodeSenderTechnicalID"], updated["ID"]), ("N3", tasks[0]["ID"]))
        self.assertNotEqual(updated["ChangeStateID"], tasks[0]["ChangeStateID"])

        stored = self.control("/_causeway/task-activity/tasks/" + tasks[0]["ID"])
        assert_updated_task(self, stored, "Rückruf – Müller (.NET)", updated["ChangeStateID"],
                            {"start": "2024-09-02T07:00:00Z", "start_time_zone": "CET",
                             "end": "2024-09-03T15:45:00.1234567Z", "end_time_zone": "UTC-5"},
                            "Grüße aus .NET – ½ € 👍", USER)

        stale = s["stale"]
        self.assert_soap11(stale, "ManageTaskActivityIn/MaintainBundle")
        result = self.result(stale)
        self.assertEqual(result["ActivityTask"], [])
        self.assert_log(result["Log"], "5", [("003(CAUSEWAY/ACTIVITY)", "3", "N4")])
        self.assertIn(tasks[0]["ChangeStateID"], result["Log"]["Item"][0]["Note"])
        unchanged = self.control("/_causeway/task-activity/tasks/" + tasks[0]["ID"])
        self.assertEqual((unchanged["name"], unchanged["change_state_id"]),
                         ("Rückruf – Müller (.NET)", updated["ChangeStateID"]))

        check = s["check"]
        self.assert_soap11(check, "ManageTaskActivityIn/CheckMaintainBundle")
        self.assertIn("<soap:Body><TaskActivityRequestBundleCheckMaintainQuery_sync_V1 ", check["wire"]["request"])
        self.assertIn("<n0:TaskActivityConfirmationBundleCheckMaintainResponse_sync_V1 ", check["wire"]["response"])
        result = self.result(check)
        [checked] = result["ActivityTask"]
        self.assertEqual((checked["ReferenceObjectNodeSenderTechnicalID"], checked["ID"]), ("C1", None))
        self.assert_log(result["Log"], "4", [("004(CAUSEWAY/ACTIVITY)", "3", "C2")])
        self.assertEqual(result["Log"]["Item"][0]["Note"], "Business partner NOPE does not exist")

        names = [t["name"] for t in self.control("/_causeway/task-activity/tasks?limit=1000")["tasks"]]
        self.assertEqual(sorted(names), sorted(["Rückruf – Müller (.NET)", "Second from .NET"]))

        for name, soap, code, lang, version, fault_xml in (
                ("fault11", self.assert_soap11, SOAP11_NS + "#Server", "en", "1.1",
                 "<faultcode>soap-env:Server</faultcode>"),
                ("fault12", self.assert_soap12, SOAP12_NS + "#Receiver", "", "1.2",
                 "<env:Code><env:Value>env:Receiver</env:Value></env:Code>")):
            fault = s[name]
            soap(fault, "ManageTaskActivityIn/MaintainBundle", status=500)
            self.assertIn("<UUID>not-a-uuid</UUID>", fault["wire"]["request"])
            self.assertIn(fault_xml, fault["wire"]["response"])
            error = fault["error"]
            self.assertEqual(error["type"], "System.Web.Services.Protocols.SoapException", error)
            self.assertRegex(error["message"], GENERIC_FAULT)
            self.assertEqual((error["code"], error["actor"], error["lang"]), (code, "", lang))
            entry = self.control("/_causeway/task-activity/errors/" + error["message"][-33:-1])
            self.assertEqual((entry["category"], entry["operation"], entry["user"], entry["soap_version"]),
                             ("schema", "MaintainBundle", USER, version))
            self.assertIn("UUID", entry["detail"])

        wrong = s["wrong_password"]
        error = wrong["error"]
        self.assertEqual((error["type"], error["status_kind"], error["http_status"]),
                         ("System.Net.WebException", "ProtocolError", 401), error)
        self.assertEqual(error["www_authenticate"], 'Basic realm="SAP NetWeaver Application Server [CWY/100]"')
        self.assertEqual(header(wrong["wire"], "request", "Authorization"), basic(USER, "wrong"))

        # PreAuthenticate: Basic from the first call on (Mono; docstring), so no 401 but the wrong password's.
        expected = [(USER, 200)] * 4 + [(USER, 500)] * 2 + [("-", 401)]
        self.assertEqual(self.access_log("POST", TASK_PATH, lambda lines: len(lines) >= len(expected)), expected)

    # ---- BusinessAgreementReplicationIn ---------------------------------------------------------
    def check_business_agreement(self, s):
        c = s["buag"]
        self.assertEqual(c.get("result"), "void", c.get("error"))
        self.assert_soap11(c, "BusinessAgreementReplicationIn/ReplicateBusinessAgreement", status=202)
        self.assertEqual((c["wire"]["content_length"], c["wire"]["response"]), (0, ""))
        self.assertIsNone(header(c["wire"], "response", "Content-Type"))
        request = c["wire"]["request"]
        self.assertIn('<soap:Body><BusinessAgreementReplicateRequest xmlns="http://sap.com/xi/SAPGlobal20/Global">'
                      '<BasicMessageHeader xmlns=""><UUID>7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918</UUID></BasicMessageHeader>'
                      '<BusinessAgreement actionCode="01" relationshipListCompleteTransmissionIndicator="true" xmlns="">',
                      request)
        self.assertIn("<ValidityPeriod><StartDate>2024-01-01</StartDate><EndDate>9999-12-31</EndDate></ValidityPeriod>",
                      request)

        [done] = self.settled(object_key="ID:000000700081")
        self.assertEqual((done["status"], done["soap_version"], done["message_uuid"]),
                         ("processed", "1.1", "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918"), done)
        stored = self.control("/_causeway/business-agreement/agreements/000000700081")
        self.assertEqual((stored["name"], stored["revision"], stored["business_partner_id"]),
                         ("Bäckerei from .NET", 1, "UC100002"))
        self.assertEqual([(r["role_code"], r["business_partner_id"]) for r in stored["relationships"]],
                         [("ZREL", "UC100003")])
        self.assertEqual(stored["direct_responsibilities"],
                         [{"role_code": "142", "employee_id": "E0101", "business_partner_id": "UE0101"}])
        self.assertEqual(stored["payment_data"], [{"direction_code": "1", "payment_method_code": "D"}])
        self.assertEqual((stored["texts"][0]["content"], stored["texts"][0]["language_code"]), ("über .NET", "DE"))
        self.assertEqual(stored["created_by"], USER)

        # A one-way operation's fault: SoapHttpClientProtocol reads the 500's envelope all the same.
        fault = s["buag_fault"]
        self.assert_soap11(fault, "BusinessAgreementReplicationIn/ReplicateBusinessAgreement", status=500)
        self.assertIn("<Name>" + "n" * 41 + "</Name>", fault["wire"]["request"])
        error = fault["error"]
        self.assertEqual((error["type"], error["code"]), ("System.Web.Services.Protocols.SoapException",
                                                          SOAP11_NS + "#Server"), error)
        self.assertRegex(error["message"], GENERIC_FAULT)
        entry = self.control("/_causeway/messages/" + error["message"][-33:-1])
        self.assertEqual((entry["kind"], entry["category"], entry["user"]), ("sync", "schema", USER))
        self.assertIn("Name", entry["detail"])
        self.control("/_causeway/business-agreement/agreements/000000700082", expect=404)
        self.assertEqual(self.access_log("POST", BUAG_PATH, lambda lines: len(lines) >= 2), [(USER, 202), (USER, 500)])


if __name__ == "__main__":
    unittest.main()
