"""ManageTaskActivityIn and BusinessAgreementReplicationIn driven by suds (Debian python3-suds,
suds-community 1.1, run with /usr/bin/python3 as zeep is), the client older Python integrations
use: WSDL fetched and calls sent through suds' HttpAuthenticated transport (HTTP Basic as urllib
does it: credentials only after the server's 401 challenge), factory objects and dicts for the
payload, a MessagePlugin and a recording transport for the wire. A missing suds fails the test
(no skipping).

What suds does that the tests take into account (client-side; the server is right):
- suds marshals a Python bool into an `Indicator` (the GDT's restriction of xsd:boolean, as
  element or attribute) with str(): `True`, which is not in xsd:boolean's lexical space
  (true/false/1/0), so the server's schema validation answers with SAP's generic fault. The flow
  passes the strings "true"; `python_bool` shows the fault.
- suds writes SOAP 1.1 envelopes (text/xml, SOAPAction) on every port, `binding_SOAP12`
  included; the server goes by the envelope, so calls through that port are SOAP 1.1 calls.
- suds keeps cookies: after the first authenticated call it sends the SAP_SESSIONID cookie the
  server set and no Authorization header (urllib answers a challenge, it never sends Basic
  unasked), and the server takes the session, as SAP's ICF does with its security sessions.
- A one-way call comes back as None whether the server answered 202 with an empty body or 200
  with one; the recording transport shows the 202.
"""
import json
import os
import subprocess
import time
import unittest

from harness import ServerCase
from test_soap_php import BUAG_PATH, EXTRA_CONFIG, EXTRA_USERS, GENERIC_FAULT, TASK_PATH, assert_log

SYSTEM_PYTHON = "/usr/bin/python3"

PRELUDE = r'''
import json, sys, urllib.error
try:
    import suds
    from suds import WebFault
    from suds.client import Client
    from suds.plugin import MessagePlugin
    from suds.transport.https import HttpAuthenticated
except ImportError as e:
    sys.exit("suds is needed (Debian python3-suds: CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh): %s" % e)

base, user, password = sys.argv[1:4]
out = {"suds": suds.__version__}


class Recording(HttpAuthenticated):
    """HttpAuthenticated that keeps, per request, the headers suds set, the final status and the
    response headers (urllib's 401 round trip happens inside one open)."""

    def __init__(self, **kwargs):
        HttpAuthenticated.__init__(self, **kwargs)
        self.exchanges = []

    def u2open(self, u2request, timeout=None):
        ex = {"method": u2request.get_method(),
              "headers": {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in u2request.header_items()}}
        self.exchanges.append(ex)
        try:
            fp = HttpAuthenticated.u2open(self, u2request, timeout)
        except urllib.error.HTTPError as e:
            ex["status"] = e.code
            raise
        ex["status"] = fp.getcode()
        ex["response_headers"] = {k.lower(): v for k, v in fp.headers.items()}
        return fp


class Wire(MessagePlugin):
    """The envelope bytes as sent and as received."""

    def sending(self, context):
        self.sent = context.envelope.decode("utf-8")

    def received(self, context):
        self.received_bytes = context.reply.decode("utf-8")


def plain(obj):
    """suds objects as JSON values."""
    if hasattr(obj, "__keylist__"):
        return {k: plain(v) for k, v in Client.dict(obj).items()}
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj if obj is None or isinstance(obj, (int, float, bool)) else str(obj)


def call(port, op, *args):
    """One operation through one port: its result or its fault, and the wire."""
    wire.sent = wire.received_bytes = None
    before = len(transport.exchanges)
    r = {}
    try:
        r["result"] = plain(getattr(client.service[port], op)(*args))
    except WebFault as f:
        r["fault"] = {"code": str(f.fault.faultcode), "string": str(f.fault.faultstring)}
    r["request"], r["response"] = wire.sent, wire.received_bytes
    r["exchanges"] = transport.exchanges[before:]
    return r


transport = Recording(username=user, password=password)
wire = Wire()
client = Client(base + "?wsdl", transport=transport, cache=None, plugins=[wire])
out["ports"] = sorted(p.name for p in client.wsdl.services[0].ports)
out["wsdl_fetch"] = transport.exchanges[0]
f = client.factory
'''

TASK_SCRIPT = PRELUDE + r'''
uuid = "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a"
# Create: a factory object with the nested parts (the period's time zones as attributes).
task = f.create("{http://sap.com/xi/A1S/Global}TaskActivityMaintainRequestBundle_V1")
task._actionCode = "01"
task._textListCompleteTransimissionIndicator = "true"
task.ObjectNodeSenderTechnicalID = "S1"
task.UUID = uuid
task.Name = "From suds"
task.PriorityCode = "1"
period = f.create("{http://sap.com/xi/A1S/Global}TaskActivityMaintainRequestBundleScheduledPeriod")
for name, value in (("StartDateTime", "2024-06-01T08:00:00Z"), ("EndDateTime", "2024-06-01T09:30:00.5Z")):
    dt = f.create("{http://sap.com/xi/BASIS/Global}LOCALNORMALISED_DateTime")
    dt.value, dt._timeZoneCode = value, "UTC-5"
    setattr(period, name, dt)
task.ScheduledPeriod = period
task.ProcessorParty = {"EmployeeID": "E0001"}
task.MainActivityParty = {"BusinessPartnerInternalID": "MC9785"}
task.ReferenceParty = [{"BusinessPartnerInternalID": "MCP6049", "MainIndicator": "true"}]
text = f.create("{http://sap.com/xi/A1S/Global}TaskActivityMaintainRequestBundleText")
text._actionCode, text.TextTypeCode, text.LanguageCode, text.ContentText = "01", "10002", "EN", "suds body"
task.Text = [text]
out["create"] = call("binding", "MaintainBundle", {"ID": "SUDS-CREATE-1"}, [task])
csid = out["create"]["result"]["ActivityTask"][0]["ChangeStateID"]

# Update with that change state, as dicts, through the SOAP 1.2 port.
out["update"] = call("binding_SOAP12", "MaintainBundle", None, [
    {"_actionCode": "02", "_referencePartyListCompleteTransimissionIndicator": "true",
     "ObjectNodeSenderTechnicalID": "S2", "ChangeStateID": csid, "UUID": uuid, "LifeCycleStatusCode": "3",
     "ReferenceParty": [{"BusinessPartnerInternalID": "MCP8300"}, {"BusinessPartnerInternalID": "MCP60500"}]}])
out["stale"] = call("binding", "MaintainBundle", None, [
    {"_actionCode": "02", "ObjectNodeSenderTechnicalID": "S3", "ChangeStateID": csid, "UUID": uuid,
     "Name": "stale from suds"}])
out["check"] = call("binding", "CheckMaintainBundle", None, [
    {"_actionCode": "01", "ObjectNodeSenderTechnicalID": "S4", "Name": "suds check only"},
    {"_actionCode": "01", "ObjectNodeSenderTechnicalID": "S5", "Name": "suds check only",
     "MainActivityParty": {"BusinessPartnerInternalID": "NOPE"}}])
out["partial"] = call("binding", "MaintainBundle", None, [
    {"_actionCode": "01", "ObjectNodeSenderTechnicalID": "S6", "Name": "suds good one"},
    {"_actionCode": "01", "ObjectNodeSenderTechnicalID": "S7", "Name": "suds bad partner",
     "ReferenceParty": [{"BusinessPartnerInternalID": "NOPE"}]}])
out["fault"] = call("binding", "MaintainBundle", None, [{"_actionCode": "07", "Name": "bad code"}])
out["python_bool"] = call("binding", "CheckMaintainBundle", None, [
    {"_actionCode": "01", "ReferenceParty": [{"BusinessPartnerInternalID": "MCP6049", "MainIndicator": True}]}])
try:
    Client(base + "?wsdl", transport=HttpAuthenticated(username=user, password="wrong"), cache=None)
    out["wrong_password"] = None
except Exception as e:  # suds' TransportError
    out["wrong_password"] = [type(e).__name__, getattr(e, "httpcode", None)]
print(json.dumps(out))
'''

BUAG_SCRIPT = PRELUDE + r'''
agreement = f.create("{http://sap.com/xi/A1S/Global}BusinessAgreementReplicateRequestBusinessAgreement")
agreement._actionCode = "01"
agreement._relationshipListCompleteTransmissionIndicator = "true"
agreement.ObjectNodeSenderTechnicalID = "SB1"
agreement.ID = "000000700051"
agreement.Name = "From suds"
agreement.BusinessPartnerInternalID = "UC100002"
agreement.AccountDetermination = {"AccountDeterminationCode": "01"}
agreement.Relationship = [{"RoleCode": "ZREL", "BusinessPartnerInternalID": "UC100003",
                           "ValidityPeriod": {"StartDate": "2024-01-01", "EndDate": "9999-12-31"}}]
agreement.DirectResponsibility = [{"PartyRoleCode": "142", "EmployeeID": "E0101"}]
out["first"] = call("binding", "ReplicateBusinessAgreement", {"UUID": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"}, agreement)
out["update"] = call("binding_SOAP12", "ReplicateBusinessAgreement", {"ID": "SUDS-BA-2"},
                     {"ID": "000000700051", "Name": "Changed by suds"})
out["fault"] = call("binding", "ReplicateBusinessAgreement", None, {"_actionCode": "07", "ID": "000000700052"})
print(json.dumps(out))
'''


class SoapSuds(ServerCase):
    extra_users, extra_config = EXTRA_USERS, EXTRA_CONFIG

    def suds(self, script, path, user):
        self.assertTrue(os.path.exists(SYSTEM_PYTHON), "python3-suds needs Debian's /usr/bin/python3")
        p = subprocess.run([SYSTEM_PYTHON, "-c", script, self.server.base + path, user, "Welcome1!"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout[-3000:] + p.stderr[-3000:])
        out = json.loads(p.stdout.strip().splitlines()[-1])
        self.assertEqual(out["ports"], ["binding", "binding_SOAP12"])
        self.assertEqual((out["wsdl_fetch"]["method"], out["wsdl_fetch"]["status"]), ("GET", 200))
        return out

    def assert_soap11(self, call, action):
        [ex] = call["exchanges"]
        self.assertEqual(ex["headers"]["content-type"], "text/xml; charset=utf-8")
        self.assertEqual(ex["headers"]["soapaction"], f'"http://sap.com/xi/A1S/Global/{action}Request"')
        self.assertTrue(call["request"].startswith('<?xml version="1.0" encoding="UTF-8"?><SOAP-ENV:Envelope '
                                                   'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"'),
                        call["request"])
        return ex

    def assert_log(self, log, result, items):
        assert_log(self, log, result, items)

    def test_manage_task_activity(self):
        out = self.suds(TASK_SCRIPT, TASK_PATH, "TASK_SYNC")
        create = out["create"]
        self.assertNotIn("fault", create, create)
        ex = self.assert_soap11(create, "ManageTaskActivityIn/MaintainBundle")
        self.assertEqual(ex["status"], 200)
        self.assertIn('<ActivityTask actionCode="01" textListCompleteTransimissionIndicator="true">', create["request"])
        self.assertIn('<StartDateTime timeZoneCode="UTC-5">2024-06-01T08:00:00Z</StartDateTime>', create["request"])
        self.assertIn('<soap-env:Body><n0:TaskActivityBundleMaintainConfirmation_sync_V1 ', create["response"])
        self.assert_log(create["result"]["Log"], "3", [])
        [task] = create["result"]["ActivityTask"]
        self.assertEqual((task["ReferenceObjectNodeSenderTechnicalID"], task["UUID"]),
                         ("S1", "6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a"))
        self.assertRegex(task["ChangeStateID"], r"^\d{14}\.\d{7}$")
        stored = self.control("/_causeway/task-activity/tasks/" + task["ID"])
        self.assertEqual(stored["name"], "From suds")
        self.assertEqual(stored["scheduled_period"], {"start": "2024-06-01T08:00:00Z", "start_time_zone": "UTC-5",
                                                      "end": "2024-06-01T09:30:00.5Z", "end_time_zone": "UTC-5"})
        self.assertEqual(stored["processor"]["business_partner_id"], "MC2471")  # by EmployeeID E0001
        self.assertEqual(stored["texts"][0]["content"], "suds body")
        self.assertIn("<MainIndicator>true</MainIndicator>", create["request"])

        update = out["update"]
        self.assertNotIn("fault", update, update)
        ex = self.assert_soap11(update, "ManageTaskActivityIn/MaintainBundle")  # the SOAP 1.2 port, a 1.1 call
        # suds sends the session cookie, not the credentials, once it has one.
        self.assertIn("SAP_SESSIONID_CWY_100=", ex["headers"]["cookie"])
        self.assertNotIn("authorization", ex["headers"])
        [updated] = update["result"]["ActivityTask"]
        self.assertEqual((updated["ReferenceObjectNodeSenderTechnicalID"], updated["ID"]), ("S2", task["ID"]))
        self.assertNotEqual(updated["ChangeStateID"], task["ChangeStateID"])
        stored = self.control("/_causeway/task-activity/tasks/" + task["ID"])
        self.assertEqual(stored["life_cycle_status"], "3")
        self.assertEqual([p["business_partner_id"] for p in stored["reference_parties"]], ["MCP8300", "MCP60500"])
        self.assertEqual(stored["changed_by"], "TASK_SYNC")

        stale = out["stale"]["result"]
        self.assertNotIn("ActivityTask", stale)
        self.assert_log(stale["Log"], "5", [("003(CAUSEWAY/ACTIVITY)", "3", "S3")])
        self.assertEqual(self.control("/_causeway/task-activity/tasks/" + task["ID"])["name"], "From suds")

        check = out["check"]
        self.assert_soap11(check, "ManageTaskActivityIn/CheckMaintainBundle")
        self.assertIn("<n0:TaskActivityConfirmationBundleCheckMaintainResponse_sync_V1 ", check["response"])
        [checked] = check["result"]["ActivityTask"]
        self.assertEqual(checked["ReferenceObjectNodeSenderTechnicalID"], "S4")
        self.assertNotIn("ID", checked)
        self.assert_log(check["result"]["Log"], "4", [("004(CAUSEWAY/ACTIVITY)", "3", "S5")])

        partial = out["partial"]["result"]
        self.assertEqual([t["ReferenceObjectNodeSenderTechnicalID"] for t in partial["ActivityTask"]], ["S6"])
        self.assert_log(partial["Log"], "4", [("004(CAUSEWAY/ACTIVITY)", "3", "S7")])
        names = [t["name"] for t in self.control("/_causeway/task-activity/tasks?limit=1000")["tasks"]]
        self.assertEqual(sorted(names), ["From suds", "suds good one"])

        fault = out["fault"]
        self.assertIn('<ActivityTask actionCode="07">', fault["request"])
        self.assertEqual(fault["exchanges"][0]["status"], 500)
        self.assertEqual(fault["fault"]["code"], "soap-env:Server")
        self.assertRegex(fault["fault"]["string"], GENERIC_FAULT)
        entry = self.control("/_causeway/task-activity/errors/" + fault["fault"]["string"][-33:-1])
        self.assertEqual((entry["category"], entry["operation"], entry["user"]), ("schema", "MaintainBundle", "TASK_SYNC"))
        self.assertIn("actionCode", entry["detail"])

        # suds' str(True) on the wire, refused by the schema (client-side; the flow sends "true").
        python_bool = out["python_bool"]
        self.assertIn("<MainIndicator>True</MainIndicator>", python_bool["request"])
        self.assertRegex(python_bool["fault"]["string"], GENERIC_FAULT)
        entry = self.control("/_causeway/task-activity/errors/" + python_bool["fault"]["string"][-33:-1])
        self.assertEqual((entry["category"], entry["operation"]), ("schema", "CheckMaintainBundle"))
        self.assertIn("MainIndicator", entry["detail"])

        self.assertEqual(out["wrong_password"], ["TransportError", 401])

    def test_business_agreement_replication(self):
        out = self.suds(BUAG_SCRIPT, BUAG_PATH + "erp", "BUAG_REPL")
        for k in ("first", "update"):
            c = out[k]
            self.assertNotIn("fault", c, c)
            self.assertIsNone(c["result"])
            ex = self.assert_soap11(c, "BusinessAgreementReplicationIn/ReplicateBusinessAgreement")
            self.assertEqual(ex["status"], 202)
            self.assertEqual(ex["response_headers"].get("content-length"), "0")
            self.assertEqual(c["response"], "")
        self.assertIn('<BusinessAgreement actionCode="01" relationshipListCompleteTransmissionIndicator="true">',
                      out["first"]["request"])
        self.assertIn("<ValidityPeriod><StartDate>2024-01-01</StartDate><EndDate>9999-12-31</EndDate></ValidityPeriod>",
                      out["first"]["request"])

        deadline = time.monotonic() + 30
        while True:
            done = self.control("/_causeway/messages?limit=100&kind=async&object_key=ID:000000700051")["messages"]
            if len(done) == 2 and all(m["status"] != "received" for m in done):
                break
            self.assertLess(time.monotonic(), deadline, done)
            time.sleep(0.02)
        self.assertEqual([m["status"] for m in done], ["processed", "processed"])
        self.assertEqual([m["soap_version"] for m in done], ["1.1", "1.1"])  # suds: 1.1 on the 1.2 port too
        self.assertEqual(sorted(m["message_uuid"] or m["message_id"] for m in done),
                         ["0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "SUDS-BA-2"])
        stored = self.control("/_causeway/business-agreement/agreements/000000700051")
        self.assertEqual((stored["name"], stored["revision"], stored["business_partner_id"]),
                         ("Changed by suds", 2, "UC100002"))
        self.assertEqual([(r["role_code"], r["business_partner_id"]) for r in stored["relationships"]],
                         [("ZREL", "UC100003")])
        self.assertEqual(stored["direct_responsibilities"],
                         [{"role_code": "142", "employee_id": "E0101", "business_partner_id": "UE0101"}])

        fault = out["fault"]
        self.assertEqual((fault["exchanges"][0]["status"], fault["fault"]["code"]), (500, "soap-env:Server"))
        self.assertRegex(fault["fault"]["string"], GENERIC_FAULT)
        entry = self.control("/_causeway/messages/" + fault["fault"]["string"][-33:-1])
        self.assertEqual((entry["kind"], entry["category"], entry["user"]), ("sync", "schema", "BUAG_REPL"))
        self.control("/_causeway/business-agreement/agreements/000000700052", expect=404)


if __name__ == "__main__":
    unittest.main()
