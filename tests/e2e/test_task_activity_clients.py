"""ManageTaskActivityIn driven by real SOAP clients generated from the WSDL the server serves:
zeep (Debian's python3-zeep, run with /usr/bin/python3) and node-soap (installed from npm into
the build tree at test time). Neither client validates enumerations or element order; the server
does. A client that cannot be installed fails the test (no skipping)."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from harness import ADMIN, ServerCase, basic, build_dir, npm_dir

PATH = "/sap/bc/srt/scs/sap/managetaskactivityin"
SYSTEM_PYTHON = "/usr/bin/python3"
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
endpoint_suffix = "1"
"""

ZEEP_SCRIPT = r'''
import json, sys, requests, zeep
from zeep.transports import Transport
base, out = sys.argv[1], {}
def client(user, password):
    s = requests.Session(); s.trust_env = False; s.auth = (user, password)
    return zeep.Client(base + "?sap-vhost=causeway.example&wsdl", transport=Transport(session=s))
c = client("TASK_SYNC", "Welcome1!")
out["ports"] = sorted(c.wsdl.services["service"].ports)
out["address"] = c.wsdl.services["service"].ports["binding"].binding_options["address"]
s11, s12 = c.bind("service", "binding"), c.bind("service", "binding_SOAP12")
def log(r):
    return {"result": r.Log.BusinessDocumentProcessingResultCode, "max": r.Log.MaximumLogItemSeverityCode,
            "items": [(i.TypeID, i.SeverityCode, i.ReferenceObjectNodeSenderTechnicalID, i.Note) for i in (r.Log.Item or [])]}
def tasks(r):
    return [{"ref": t.ReferenceObjectNodeSenderTechnicalID, "id": t.ID, "uuid": t.UUID, "csid": t.ChangeStateID} for t in (r.ActivityTask or [])]
uuid = "5b0f6c1e-3a2d-4c5b-9e8f-0a1b2c3d4e5f"
r = s11.MaintainBundle(BasicMessageHeader={"ID": "00000000000102dcade9bcb0aa000c68"}, ActivityTask=[{
    "actionCode": "01", "ObjectNodeSenderTechnicalID": "1", "UUID": uuid, "Name": "From zeep", "PriorityCode": "1",
    "ScheduledPeriod": {"StartDateTime": {"_value_1": "2024-05-01T08:00:00Z", "timeZoneCode": "UTC"},
                        "EndDateTime": {"_value_1": "2024-05-02T08:00:00Z", "timeZoneCode": "UTC"}},
    "ProcessorParty": {"BusinessPartnerInternalID": "MC2471"},
    "ReferenceParty": [{"BusinessPartnerInternalID": "MCP6049"}, {"BusinessPartnerInternalID": "MCPB9785"}],
    "Text": [{"actionCode": "01", "TextTypeCode": "10002", "ContentText": "Body"}]}])
out["create"] = {"tasks": tasks(r), "log": log(r)}
csid = r.ActivityTask[0].ChangeStateID
r = s12.MaintainBundle(ActivityTask=[{"actionCode": "02", "ObjectNodeSenderTechnicalID": "2", "ChangeStateID": csid,
    "UUID": uuid, "LifeCycleStatusCode": "2", "referencePartyListCompleteTransimissionIndicator": True,
    "ReferenceParty": [{"BusinessPartnerInternalID": "MCP17101"}]}])
out["update12"] = {"tasks": tasks(r), "log": log(r)}
r = s11.MaintainBundle(ActivityTask=[{"actionCode": "02", "ObjectNodeSenderTechnicalID": "3", "ChangeStateID": csid,
    "UUID": uuid, "Name": "stale"}])
out["stale"] = {"tasks": tasks(r), "log": log(r)}
r = s11.CheckMaintainBundle(ActivityTask=[{"actionCode": "01", "ObjectNodeSenderTechnicalID": "4", "Name": "check"}])
out["check"] = {"tasks": tasks(r), "log": log(r)}
hdr = {"UUID": "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10"}
first = s11.MaintainBundle(BasicMessageHeader=hdr, ActivityTask=[{"ObjectNodeSenderTechnicalID": "5", "Name": "once"}])
again = s12.MaintainBundle(BasicMessageHeader=hdr, ActivityTask=[{"ObjectNodeSenderTechnicalID": "5", "Name": "once"}])
out["idempotent"] = [tasks(first), tasks(again)]
try:
    s11.MaintainBundle(ActivityTask=[{"actionCode": "07", "Name": "bad code"}])
    out["fault"] = None
except zeep.exceptions.Fault as f:
    out["fault"] = f.message
c.transport.session.auth = ("NOARR", "Welcome1!")
try:
    s11.MaintainBundle(ActivityTask=[{"Name": "x"}])
    out["forbidden"] = None
except zeep.exceptions.Fault as f:
    out["forbidden"] = f.message
print(json.dumps(out))
'''

NODE_SCRIPT = r'''
const soap = require('soap');
const [base, user, password] = process.argv.slice(2);
const auth = 'Basic ' + Buffer.from(user + ':' + password).toString('base64');
const call = (port, op, args) => new Promise((resolve, reject) =>
  port[op](args, (err, result, raw) => err ? reject(err) : resolve(result)));
(async () => {
  const out = {};
  const client = await soap.createClientAsync(base + '?wsdl', { wsdl_headers: { Authorization: auth } });
  client.setSecurity(new soap.BasicAuthSecurity(user, password));
  const d = client.describe();
  out.ports = Object.keys(d.service).sort();
  const port = client.service.binding;
  let r = await call(port, 'MaintainBundle', {
    BasicMessageHeader: { UUID: '7d6c5b4a-3f2e-4d1c-8b0a-9e8f7d6c5b4a' },
    ActivityTask: [
      { attributes: { actionCode: '01' }, ObjectNodeSenderTechnicalID: 'N1', Name: 'From node-soap',
        ProcessorParty: { EmployeeID: 'E0002' }, MainActivityParty: { BusinessPartnerInternalID: 'MC9785' } },
      { ObjectNodeSenderTechnicalID: 'N2', MainActivityParty: { BusinessPartnerInternalID: 'NOPE' } }]});
  out.create = r;
  r = await call(port, 'CheckMaintainBundle', { ActivityTask: [{ attributes: { actionCode: '01' }, Name: 'check' }] });
  out.check = r;
  try {
    await call(port, 'MaintainBundle', { ActivityTask: [{ Name: 'x', ID: '1', ObjectNodeSenderTechnicalID: 'wrong order' }] });
    out.fault = null;
  } catch (e) {
    out.fault = (e.root && e.root.Envelope && e.root.Envelope.Body.Fault.faultstring) || String(e);
  }
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e && e.stack || e); process.exit(1); });
'''


def node_soap_dir():
    """node-soap from npm in <build>/e2e-node (kept between runs)."""
    return npm_dir("e2e-node", {"name": "causeway-e2e-node", "private": True, "dependencies": {"soap": "1.13.0"}})


class TaskActivityClients(ServerCase):
    extra_users, extra_config = EXTRA_USERS, EXTRA_CONFIG

    def control(self, path):
        st, _, body = self.server.request("GET", "/_causeway/task-activity/" + path, ADMIN)
        self.assertEqual(st, 200, body)
        return json.loads(body)

    def test_zeep(self):
        self.assertTrue(os.path.exists(SYSTEM_PYTHON), "python3-zeep needs Debian's /usr/bin/python3")
        base = self.server.base + PATH
        p = subprocess.run([SYSTEM_PYTHON, "-c", ZEEP_SCRIPT, base], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        out = json.loads(p.stdout.strip().splitlines()[-1])
        self.assertEqual(out["ports"], ["binding", "binding_SOAP12"])
        self.assertEqual(out["address"], base + "?sap-vhost=causeway.example")

        created = out["create"]
        self.assertEqual(created["log"], {"result": "3", "max": None, "items": []})
        self.assertEqual(len(created["tasks"]), 1)
        task = created["tasks"][0]
        self.assertEqual((task["ref"], task["uuid"]), ("1", "5b0f6c1e-3a2d-4c5b-9e8f-0a1b2c3d4e5f"))
        self.assertRegex(task["csid"], r"^\d{14}\.\d{7}$")

        updated = out["update12"]
        self.assertEqual(updated["log"]["result"], "3")
        self.assertNotEqual(updated["tasks"][0]["csid"], task["csid"])
        stored = self.control("tasks/" + task["id"])
        self.assertEqual(stored["life_cycle_status"], "2")
        self.assertEqual([p["business_partner_id"] for p in stored["reference_parties"]], ["MCP17101"])
        self.assertEqual(stored["scheduled_period"]["start_time_zone"], "UTC")

        stale = out["stale"]
        self.assertEqual(stale["tasks"], [])
        self.assertEqual(stale["log"]["result"], "5")
        self.assertEqual(stale["log"]["items"][0][:3], ["003(CAUSEWAY/ACTIVITY)", "3", "3"])
        self.assertEqual(self.control("tasks/" + task["id"])["name"], "From zeep")

        check = out["check"]
        self.assertEqual(check["tasks"][0]["id"], None)
        self.assertEqual(check["log"]["result"], "3")

        first, again = out["idempotent"]
        self.assertEqual(first, again)
        names = [t["name"] for t in self.control("tasks?limit=1000")["tasks"]]
        self.assertEqual(names.count("once"), 1)
        self.assertNotIn("check", names)

        self.assertRegex(out["fault"], r"^Web service processing error; more details in the web service error log on "
                                       r"provider side \(UTC timestamp \d{14}; Transaction ID [0-9A-F]{32}\)$")
        txid = out["fault"][-33:-1]
        entry = self.control("errors/" + txid)
        self.assertEqual((entry["category"], entry["operation"], entry["user"]), ("schema", "MaintainBundle", "TASK_SYNC"))
        self.assertIn("actionCode", entry["detail"])
        self.assertRegex(out["forbidden"], r'^Authorization role missing for service "ServiceInterface '
                                           r'http://sap.com/xi/A1S/Global ManageTaskActivityIn <default> <default>", '
                                           r'operation "Operation http://sap.com/xi/A1S/Global MaintainBundle"')

    def test_node_soap(self):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is needed for node-soap")
        workdir = node_soap_dir()
        script = os.path.join(workdir, "task_activity_client.js")
        with open(script, "w") as f:
            f.write(NODE_SCRIPT)
        p = subprocess.run([node, script, self.server.base + PATH + "1", "TASK_SYNC", "Welcome1!"], cwd=workdir,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        out = json.loads(p.stdout.strip().splitlines()[-1])
        self.assertEqual(out["ports"], ["binding", "binding_SOAP12"])
        created = out["create"]
        tasks = created["ActivityTask"]
        tasks = tasks if isinstance(tasks, list) else [tasks]
        self.assertEqual(len(tasks), 1)
        self.assertEqual(tasks[0]["ReferenceObjectNodeSenderTechnicalID"], "N1")
        self.assertEqual(created["Log"]["BusinessDocumentProcessingResultCode"], "4")
        self.assertEqual(created["Log"]["MaximumLogItemSeverityCode"], "3")
        item = created["Log"]["Item"]
        item = item[0] if isinstance(item, list) else item
        self.assertEqual((item["TypeID"], item["ReferenceObjectNodeSenderTechnicalID"]), ("004(CAUSEWAY/ACTIVITY)", "N2"))
        stored = self.control("tasks/" + tasks[0]["ID"])
        self.assertEqual(stored["processor"]["business_partner_id"], "MC2472")
        check = out["check"]["ActivityTask"]
        check = check[0] if isinstance(check, list) else check
        self.assertNotIn("ID", check)
        fault = out["fault"]["$value"] if isinstance(out["fault"], dict) else out["fault"]
        self.assertRegex(fault, r"^Web service processing error; more details in the web service error log on provider "
                                r"side \(UTC timestamp \d{14}; Transaction ID [0-9A-F]{32}\)$")
        self.assertEqual(self.control("errors/" + fault[-33:-1])["category"], "schema")

    def test_jaxws_wsimport(self):
        """Debian's JAX-WS RI (package jaxws) generates and compiles a client from the served WSDL,
        fetched with the same Basic authentication."""
        wsimport = shutil.which("wsimport")
        self.assertIsNotNone(wsimport, "wsimport (Debian package jaxws) is needed")
        work = tempfile.mkdtemp(prefix="cw-wsimport-", dir=build_dir())
        try:
            url = self.server.base + PATH + "?wsdl"
            auth = os.path.join(work, "auth")
            with open(auth, "w") as f:
                f.write(url.replace("http://", "http://TASK_SYNC:Welcome1!@") + "\n")
            out = os.path.join(work, "out")
            os.makedirs(out)
            p = subprocess.run([wsimport, "-quiet", "-Xauthfile", auth, "-d", out, "-p", "cw.gen", url],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stdout[-2000:] + p.stderr[-2000:])
            classes = set(os.listdir(os.path.join(out, "cw", "gen")))
            for c in ("Service.class", "ManageTaskActivityIn.class", "TaskActivityMaintainRequestBundleV1.class",
                      "TaskActivityMaintainConfirmationBundleMessageSyncV1.class", "Log.class", "LogItem.class",
                      "StandardFaultMessage_Exception.class", "MaintenanceAttachmentFolder.class"):
                self.assertIn(c, classes)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def test_basic_over_tls(self):
        body = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
                '<n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">'
                '<ActivityTask><Name>over TLS</Name></ActivityTask></n0:TaskActivityBundleMaintainRequest_sync_V1>'
                '</s:Body></s:Envelope>').encode()
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": ""}
        st, h, _ = self.server.request("POST", PATH, headers, body, conn=self.server.conn(tls=True))
        self.assertEqual(st, 401)
        self.assertTrue(dict(h)["www-authenticate"].startswith("Basic realm="))
        headers["Authorization"] = basic("TASK_SYNC", "Welcome1!")
        st, _, out = self.server.request("POST", PATH, headers, body, conn=self.server.conn(tls=True))
        self.assertEqual(st, 200, out)
        self.assertIn(b"<BusinessDocumentProcessingResultCode>3</BusinessDocumentProcessingResultCode>", out)


if __name__ == "__main__":
    unittest.main()
