"""BusinessAgreementReplicationIn driven by real SOAP clients generated from the WSDL the server
serves: zeep (Debian's python3-zeep, run with /usr/bin/python3) and node-soap (npm, into the build
tree). Both send one-way messages (the operation has no output): the server answers 202 with an
empty body once the message is stored, which both clients take as success; the outcome is read
from the message monitor. A client that cannot be installed fails the test (no skipping)."""
import json
import os
import shutil
import subprocess
import unittest

from harness import ServerCase
from test_task_activity_clients import node_soap_dir

PATH = "/sap/bc/srt/scs/sap/businessagreementreplicationin"
SYSTEM_PYTHON = "/usr/bin/python3"
EXTRA_USERS = """
[[users]]
name = "BUAG_REPL"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_BUSINESS_AGREEMENT"]
"""
EXTRA_CONFIG = """
[task_activity]
demo_master_data = true

[business_agreement]
demo_master_data = true
endpoint_suffix = "1"
"""

ZEEP_SCRIPT = r'''
import json, sys, requests, zeep
from zeep.transports import Transport
base, out = sys.argv[1], {}
s = requests.Session(); s.trust_env = False; s.auth = ("BUAG_REPL", "Welcome1!")
c = zeep.Client(base + "?sap-vhost=causeway.example&wsdl", transport=Transport(session=s))
out["ports"] = sorted(c.wsdl.services["service"].ports)
op = c.wsdl.services["service"].ports["binding"].binding._operations["ReplicateBusinessAgreement"]
out["one_way"] = op.output is None or not op.output.body
s11, s12 = c.bind("service", "binding"), c.bind("service", "binding_SOAP12")
header = {"UUID": "6c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f"}
agreement = {"actionCode": "01", "ObjectNodeSenderTechnicalID": "Z1", "ID": "000000700001",
             "Name": "From zeep", "BusinessPartnerInternalID": "UC100001",
             "contactPersonListCompleteTransmissionIndicator": True,
             "ContactPerson": [{"ObjectNodeSenderTechnicalID": "ZC1", "BusinessPartnerInternalID": "UCP20001",
                                "MainIndicator": True}],
             "PaymentData": [{"PaymentDirectionCode": "1", "PaymentMethodCode": "D"}],
             "Text": [{"actionCode": "01", "TextTypeCode": "10001", "LanguageCode": "EN", "ContentText": "zeep"}]}
out["first"] = s11.ReplicateBusinessAgreement(BasicMessageHeader=header, BusinessAgreement=agreement)
out["resend"] = s12.ReplicateBusinessAgreement(BasicMessageHeader=header, BusinessAgreement=agreement)
out["update12"] = s12.ReplicateBusinessAgreement(
    BasicMessageHeader={"ID": "ZEEP-2"},
    BusinessAgreement={"ID": "000000700001", "Name": "Changed over SOAP 1.2"})
out["missing_partner"] = s11.ReplicateBusinessAgreement(
    BasicMessageHeader={"ID": "ZEEP-3"},
    BusinessAgreement={"actionCode": "01", "ObjectNodeSenderTechnicalID": "Z3", "ID": "000000700002",
                       "BusinessPartnerInternalID": "NOPE"})
try:
    s11.ReplicateBusinessAgreement(BusinessAgreement={"actionCode": "07", "ID": "1"})
    out["fault"] = None
except zeep.exceptions.Fault as f:
    out["fault"] = f.message
print(json.dumps(out))
'''

NODE_SCRIPT = r'''
const soap = require('soap');
const [base, user, password] = process.argv.slice(2);
const auth = 'Basic ' + Buffer.from(user + ':' + password).toString('base64');
const call = (port, op, args) => new Promise((resolve, reject) =>
  port[op](args, (err, result, raw) => err ? reject(err) : resolve({ result, raw })));
(async () => {
  const out = {};
  const client = await soap.createClientAsync(base + '?wsdl', { wsdl_headers: { Authorization: auth } });
  client.setSecurity(new soap.BasicAuthSecurity(user, password));
  out.ports = Object.keys(client.describe().service).sort();
  const port = client.service.binding;
  const r = await call(port, 'ReplicateBusinessAgreement', {
    BasicMessageHeader: { ID: 'NODE-1' },
    BusinessAgreement: {
      attributes: { actionCode: '04', relationshipListCompleteTransmissionIndicator: 'true' },
      ObjectNodeSenderTechnicalID: 'N1', ID: '000000700003', Name: 'From node-soap',
      BusinessPartnerInternalID: 'UC100002',
      Relationship: [{ RoleCode: 'ZREL', BusinessPartnerInternalID: 'UC100003' }],
      DirectResponsibility: [{ PartyRoleCode: '142', EmployeeID: 'E0101' }] } });
  out.raw = r.raw === undefined || r.raw === null ? '' : String(r.raw);
  try {
    await call(port, 'ReplicateBusinessAgreement', { BusinessAgreement: { ID: '1', ObjectNodeSenderTechnicalID: 'wrong order' } });
    out.fault = null;
  } catch (e) {
    out.fault = (e.root && e.root.Envelope && e.root.Envelope.Body.Fault.faultstring) || String(e);
  }
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e && e.stack || e); process.exit(1); });
'''


class BusinessAgreementClients(ServerCase):
    extra_users, extra_config = EXTRA_USERS, EXTRA_CONFIG

    def test_zeep(self):
        self.assertTrue(os.path.exists(SYSTEM_PYTHON), "python3-zeep needs Debian's /usr/bin/python3")
        base = self.server.base + PATH
        p = subprocess.run([SYSTEM_PYTHON, "-c", ZEEP_SCRIPT, base], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        out = json.loads(p.stdout.strip().splitlines()[-1])
        self.assertEqual(out["ports"], ["binding", "binding_SOAP12"])
        self.assertTrue(out["one_way"])
        # One-way: zeep returns None for the empty 202.
        self.assertEqual([out["first"], out["resend"], out["update12"], out["missing_partner"]], [None] * 4)

        first = self.settled(object_key="ID:000000700001")
        self.assertEqual(len(first), 2, first)  # the resend stored nothing
        self.assertEqual([m["status"] for m in first], ["processed", "processed"])
        self.assertEqual(sorted(m["soap_version"] for m in first), ["1.1", "1.2"])
        stored = self.control("/_causeway/business-agreement/agreements/000000700001")
        self.assertEqual((stored["name"], stored["revision"]), ("Changed over SOAP 1.2", 2))
        self.assertEqual(stored["contact_persons"], [{"business_partner_id": "UCP20001", "main": True}])
        self.assertEqual(stored["payment_data"], [{"direction_code": "1", "payment_method_code": "D"}])
        self.assertEqual(stored["texts"][0]["content"], "zeep")

        failed = self.settled(object_key="ID:000000700002")
        self.assertEqual(failed[0]["status"], "error")
        log = self.control("/_causeway/messages/" + failed[0]["id"])["log"]
        self.assertEqual((log[0]["type_id"], log[0]["severity"], log[0]["sender_id"]),
                         ("004(CAUSEWAY/AGREEMENT)", 3, "Z3"))

        self.assertRegex(out["fault"], r"^Web service processing error; more details in the web service error log on "
                                       r"provider side \(UTC timestamp \d{14}; Transaction ID [0-9A-F]{32}\)$")
        entry = self.control("/_causeway/messages/" + out["fault"][-33:-1])
        self.assertEqual((entry["kind"], entry["category"], entry["read_only"]), ("sync", "schema", True))

    def test_node_soap(self):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is needed for node-soap")
        workdir = node_soap_dir()
        script = os.path.join(workdir, "business_agreement_client.js")
        with open(script, "w") as f:
            f.write(NODE_SCRIPT)
        p = subprocess.run([node, script, self.server.base + PATH + "erp1", "BUAG_REPL", "Welcome1!"], cwd=workdir,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-3000:])
        out = json.loads(p.stdout.strip().splitlines()[-1])
        self.assertEqual(out["ports"], ["binding", "binding_SOAP12"])
        self.assertEqual(out["raw"], "")  # the empty 202
        done = self.settled(object_key="ID:000000700003")
        self.assertEqual(done[0]["status"], "processed", done)
        self.assertEqual(done[0]["message_id"], "NODE-1")
        stored = self.control("/_causeway/business-agreement/agreements/000000700003")
        self.assertEqual(stored["relationships"], [{"role_code": "ZREL", "business_partner_id": "UC100003"}])
        self.assertEqual(stored["direct_responsibilities"],
                         [{"role_code": "142", "employee_id": "E0101", "business_partner_id": "UE0101"}])
        fault = out["fault"]["$value"] if isinstance(out["fault"], dict) else out["fault"]
        self.assertRegex(fault, r"^Web service processing error")


if __name__ == "__main__":
    unittest.main()
