"""ManageTaskActivityIn and BusinessAgreementReplicationIn driven by PHP's own SoapClient (Debian
php-cli + php-soap, `scripts/install-deps.sh` with CAUSEWAY_TEST_DEPS=1), the way integration
teams call SAP from PHP: WSDL mode, `login`/`password` (Basic), `soap_version` SOAP_1_1 and
SOAP_1_2 (ports `binding` and `binding_SOAP12`), `trace` for the wire, `exceptions` for SoapFault.
A missing php or soap extension fails the test (no skipping).

What the test works around, on the client side (the server does what SAP's runtime does):
- PHP cannot compile a WSDL that carries `<wsp:UsingPolicy wsdl:required="true"/>`: SoapClient
  refuses every required extension it does not implement ("SOAP-ERROR: Parsing WSDL: Unknown
  required WSDL extension 'http://schemas.xmlsoap.org/ws/2004/09/policy'"). SAP's A2X WSDLs carry
  that element, and PHP users of SAP services work around it the same way: the script downloads
  the WSDL itself (file_get_contents with a stream_context that sends the Authorization header),
  sets `wsdl:required="false"` and hands SoapClient the local copy. `login`/`password` alone do
  cover PHP's own WSDL download (SoapClient sends them pre-emptively): with them the remote WSDL is
  fetched and fails only on the policy; with a wrong password the download itself fails. The
  test asserts both, so a change on either side shows.
- One-way operations (ReplicateBusinessAgreement has no output): SoapClient writes the request and
  closes the connection without reading the answer, so it sees neither the 202 nor a fault, and
  does not wait for a message to be stored before it sends the next (no delivery or order
  guarantee on the client's side). The test sends the messages whose order matters through the
  usual fix, a SoapClient subclass whose __doRequest asks for the answer (then the 202 with its
  empty body comes back as null and a fault as SoapFault); the plain client sends two messages
  whose outcome is read from the server's access log and the message monitor.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import ServerCase

TASK_PATH = "/sap/bc/srt/scs/sap/managetaskactivityin"
BUAG_PATH = "/sap/bc/srt/scs/sap/businessagreementreplicationin"
EXTRA_USERS = """
[[users]]
name = "TASK_SYNC"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_TASK_ACTIVITY"]

[[users]]
name = "BUAG_REPL"
kind = "communication"
password = "Welcome1!"
scenarios = ["CAUSEWAY_BUSINESS_AGREEMENT"]
"""
EXTRA_CONFIG = """
[task_activity]
demo_master_data = true
endpoint_suffix = "1"

[business_agreement]
demo_master_data = true
"""
GENERIC_FAULT = (r"^Web service processing error; more details in the web service error log on provider side "
                 r"\(UTC timestamp \d{14}; Transaction ID [0-9A-F]{32}\)$")
POLICY_ERROR = ("SOAP-ERROR: Parsing WSDL: Unknown required WSDL extension "
                "'http://schemas.xmlsoap.org/ws/2004/09/policy'")

# Shared by both scripts: the client the way the field builds it, and one call with its wire.
PHP_COMMON = r'''<?php
if (!extension_loaded('soap')) { fwrite(STDERR, "the PHP soap extension (Debian php-soap) is not loaded\n"); exit(2); }
[$_, $base, $user, $password] = $argv;
$out = [];

// The WSDL as the field loads SAP's: downloaded with the credentials in a stream context, the
// required WS-Policy marker switched off (PHP implements no WS-Policy), kept in a local file.
function local_wsdl($base, $user, $password) {
  $ctx = stream_context_create(['http' => ['header' => 'Authorization: Basic ' . base64_encode("$user:$password")]]);
  $wsdl = file_get_contents($base . '?wsdl', false, $ctx);
  if ($wsdl === false) { throw new RuntimeException("WSDL download failed"); }
  $file = tempnam(sys_get_temp_dir(), 'cw-php-wsdl-');
  file_put_contents($file, str_replace('wsdl:required="true"', 'wsdl:required="false"', $wsdl));
  return $file;
}

function client($wsdl, $user, $password, $version) {
  return new SoapClient($wsdl, ['login' => $user, 'password' => $password, 'soap_version' => $version,
    'trace' => 1, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE,
    'features' => SOAP_SINGLE_ELEMENT_ARRAYS, 'connection_timeout' => 10]);
}

// One operation call: its result (as plain arrays) or its SoapFault, and the bytes on the wire.
function call($c, $op, $args) {
  $r = ['op' => $op];
  try {
    $r['result'] = json_decode(json_encode($c->$op($args)), true);
  } catch (SoapFault $f) {
    $r['fault'] = ['code' => $f->faultcode, 'string' => $f->faultstring];
  }
  $r['request_headers'] = $c->__getLastRequestHeaders();
  $r['request'] = $c->__getLastRequest();
  $r['response_headers'] = $c->__getLastResponseHeaders();
  $r['response'] = $c->__getLastResponse();
  return $r;
}

// A SoapClient built on the remote WSDL URL: what goes wrong (null: nothing).
function remote_wsdl_error($base, $user, $password) {
  try {
    client($base . '?wsdl', $user, $password, SOAP_1_1);
    return null;
  } catch (SoapFault $f) {
    return $f->getMessage();
  }
}
'''

TASK_SCRIPT = PHP_COMMON + r'''
$out['remote_wsdl'] = remote_wsdl_error($base, $user, $password);
$out['remote_wsdl_wrong_password'] = remote_wsdl_error($base, $user, 'wrong');
$wsdl = local_wsdl($base, $user, $password);
$c11 = client($wsdl, $user, $password, SOAP_1_1);
$c12 = client($wsdl, $user, $password, SOAP_1_2);
$out['functions'] = $c11->__getFunctions();
$uuid = '4f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8';

// Create: two tasks with the nested parts (period with time zones, parties, references, texts).
$out['create'] = call($c11, 'MaintainBundle', [
  'BasicMessageHeader' => ['ID' => 'PHP-CREATE-1'],
  'ActivityTask' => [
    ['actionCode' => '01', 'textListCompleteTransimissionIndicator' => true,
     'ObjectNodeSenderTechnicalID' => 'P1', 'UUID' => $uuid, 'Name' => 'Rückruf – Müller (PHP)', 'PriorityCode' => '1',
     'ScheduledPeriod' => ['StartDateTime' => ['_' => '2024-05-01T08:00:00Z', 'timeZoneCode' => 'CET'],
                           'EndDateTime' => ['_' => '2024-05-02T08:00:00.1234567Z', 'timeZoneCode' => 'CET']],
     'ProcessorParty' => ['BusinessPartnerInternalID' => 'MC2471'],
     'MainActivityParty' => ['BusinessPartnerInternalID' => 'MC9785'],
     'ReferenceParty' => [['BusinessPartnerInternalID' => 'MCP6049', 'MainIndicator' => true],
                          ['BusinessPartnerInternalID' => 'MCPB9785']],
     'BusinessTransactionDocumentReference' => [['actionCode' => '01', 'ID' => '4711', 'TypeCode' => '72', 'RoleCode' => '1']],
     'Text' => [['actionCode' => '01', 'TextTypeCode' => '10002', 'LanguageCode' => 'DE', 'ContentText' => 'Grüße aus PHP']]],
    ['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'P2', 'Name' => 'Second from PHP',
     'EmployeeResponsibleParty' => ['EmployeeID' => 'E0002']]]]);
$created = $out['create']['result']['ActivityTask'][0] ?? null;

// Update over SOAP 1.2 with the change state the create returned.
$out['update12'] = call($c12, 'MaintainBundle', ['ActivityTask' => [[
  'actionCode' => '02', 'referencePartyListCompleteTransimissionIndicator' => true,
  'ObjectNodeSenderTechnicalID' => 'P3', 'ChangeStateID' => $created['ChangeStateID'] ?? '', 'UUID' => $uuid,
  'LifeCycleStatusCode' => '2', 'ReferenceParty' => [['BusinessPartnerInternalID' => 'MCP17101']]]]]);

// The create's change state again: stale now.
$out['stale'] = call($c11, 'MaintainBundle', ['ActivityTask' => [[
  'actionCode' => '02', 'ObjectNodeSenderTechnicalID' => 'P4', 'ChangeStateID' => $created['ChangeStateID'] ?? '',
  'UUID' => $uuid, 'Name' => 'stale from PHP']]]);

// CheckMaintainBundle over 1.2: a create that would succeed, one with an unknown partner.
$out['check12'] = call($c12, 'CheckMaintainBundle', ['ActivityTask' => [
  ['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'C1', 'Name' => 'checked only (PHP)'],
  ['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'C2', 'Name' => 'checked only (PHP)',
   'MainActivityParty' => ['BusinessPartnerInternalID' => 'NOPE']]]]);

// An unknown partner in a real bundle: the other task is created, the Log says which failed.
$out['partial'] = call($c11, 'MaintainBundle', ['ActivityTask' => [
  ['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'P5', 'Name' => 'good one (PHP)'],
  ['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'P6', 'Name' => 'bad partner (PHP)',
   'MainActivityParty' => ['BusinessPartnerInternalID' => 'NOPE']]]]);

// The same message UUID twice, once per SOAP version: processed once, the same answer twice.
$idem = ['BasicMessageHeader' => ['UUID' => '8A7B6C5D-4E3F-4A1B-9C8D-7E6F5A4B3C2D'],
         'ActivityTask' => [['ObjectNodeSenderTechnicalID' => 'I1', 'Name' => 'once (PHP)']]];
$out['idem_first'] = call($c11, 'MaintainBundle', $idem);
$out['idem_again'] = call($c12, 'MaintainBundle', $idem);

// Schema violations: an action code outside 01-06 (1.1), a UUID that is none (1.2).
$out['fault11'] = call($c11, 'MaintainBundle', ['ActivityTask' => [['actionCode' => '07', 'Name' => 'bad code']]]);
// (PHP writes elements in the schema's order whatever the array's order, and checks no pattern.)
$out['fault12'] = call($c12, 'MaintainBundle', ['ActivityTask' => [['ObjectNodeSenderTechnicalID' => 'P7',
                                                                      'UUID' => 'not-a-uuid', 'Name' => 'x']]]);

// Wrong password, the WSDL already local: HTTP 401 with the Basic challenge.
$bad = client($wsdl, $user, 'wrong', SOAP_1_1);
$out['wrong_password'] = call($bad, 'MaintainBundle', ['ActivityTask' => [['Name' => 'never']]]);
// Two failed logons stay below the lockout: the right password still works.
$out['after_wrong'] = call(client($wsdl, $user, $password, SOAP_1_2), 'CheckMaintainBundle',
                           ['ActivityTask' => [['Name' => 'still allowed']]]);
unlink($wsdl);

// Over HTTPS, as the WSDL's policy asks (the test's certificate is self-signed): the WSDL fetched
// over TLS names the https address, and the call goes there.
$tls = stream_context_create(['ssl' => ['verify_peer' => false, 'verify_peer_name' => false],
  'http' => ['header' => 'Authorization: Basic ' . base64_encode("$user:$password")]]);
$text = file_get_contents($argv[4] . '?wsdl', false, $tls);
preg_match('/<soap:address location="([^"]*)"/', $text, $m);
$out['tls_address'] = $m[1] ?? null;
$tls_wsdl = tempnam(sys_get_temp_dir(), 'cw-php-wsdl-');
file_put_contents($tls_wsdl, str_replace('wsdl:required="true"', 'wsdl:required="false"', $text));
$c = new SoapClient($tls_wsdl, ['login' => $user, 'password' => $password, 'soap_version' => SOAP_1_2, 'trace' => 1,
  'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE, 'features' => SOAP_SINGLE_ELEMENT_ARRAYS, 'stream_context' => $tls]);
$out['tls'] = call($c, 'CheckMaintainBundle', ['ActivityTask' => [['ObjectNodeSenderTechnicalID' => 'T1', 'Name' => 'over TLS']]]);
unlink($tls_wsdl);
echo json_encode($out), "\n";
'''

# SoapClient's `compression` option: the request body gzip- or deflate-compressed (with
# Content-Encoding). The server undoes it before parsing.
COMPRESSED_SCRIPT = PHP_COMMON + r'''
$wsdl = local_wsdl($base, $user, $password);
function compressed($wsdl, $user, $password, $version, $how) {
  return new SoapClient($wsdl, ['login' => $user, 'password' => $password, 'soap_version' => $version,
    'trace' => 1, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE, 'features' => SOAP_SINGLE_ELEMENT_ARRAYS,
    'compression' => SOAP_COMPRESSION_ACCEPT | $how | 9]);
}
$out['gzip'] = call(compressed($wsdl, $user, $password, SOAP_1_1, SOAP_COMPRESSION_GZIP), 'MaintainBundle',
  ['ActivityTask' => [['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'Z1', 'Name' => 'gzipped – Grüße']]]);
$out['deflate'] = call(compressed($wsdl, $user, $password, SOAP_1_2, SOAP_COMPRESSION_DEFLATE), 'CheckMaintainBundle',
  ['ActivityTask' => [['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'Z2', 'Name' => 'deflated'],
                      ['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'Z3', 'Name' => 'deflated',
                       'MainActivityParty' => ['BusinessPartnerInternalID' => 'NOPE']]]]);
unlink($wsdl);
echo json_encode($out), "\n";
'''

BUAG_SCRIPT = PHP_COMMON + r'''
// A SoapClient reads no answer to a one-way operation; the usual fix: ask __doRequest for it.
// Then the 202 (empty body: null) and a fault (SoapFault) reach the caller, and a message is
// sent only once the one before it was acknowledged (stored), so they keep their order.
class AcknowledgedClient extends SoapClient {
  public function __doRequest($request, $location, $action, $version, $one_way = false): ?string {
    return parent::__doRequest($request, $location, $action, $version, false);
  }
}
function acknowledged($wsdl, $user, $password, $version) {
  return new AcknowledgedClient($wsdl, ['login' => $user, 'password' => $password, 'soap_version' => $version,
    'trace' => 1, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE]);
}

$out['remote_wsdl'] = remote_wsdl_error($base, $user, $password);
$wsdl = local_wsdl($base, $user, $password);
$c11 = client($wsdl, $user, $password, SOAP_1_1);
$a11 = acknowledged($wsdl, $user, $password, SOAP_1_1);
$a12 = acknowledged($wsdl, $user, $password, SOAP_1_2);
$out['functions'] = $c11->__getFunctions();
$first = ['BasicMessageHeader' => ['UUID' => '2d3e4f5a-6b7c-4d8e-9fa0-b1c2d3e4f5a6'],
  'BusinessAgreement' => ['actionCode' => '01', 'contactPersonListCompleteTransmissionIndicator' => true,
    'ObjectNodeSenderTechnicalID' => 'PB1', 'ID' => '000000700021', 'Name' => 'Bäckerei from PHP',
    'BusinessPartnerInternalID' => 'UC100001',
    'ContactPerson' => [['ObjectNodeSenderTechnicalID' => 'PC1', 'BusinessPartnerInternalID' => 'UCP20001',
                         'MainIndicator' => true]],
    'PaymentData' => [['PaymentDirectionCode' => '1', 'PaymentMethodCode' => 'D']],
    'Text' => [['actionCode' => '01', 'TextTypeCode' => '10001', 'LanguageCode' => 'DE', 'ContentText' => 'über PHP']]]];
$out['first'] = call($a11, 'ReplicateBusinessAgreement', $first);
$out['resend12'] = call($a12, 'ReplicateBusinessAgreement', $first);
$out['update12'] = call($a12, 'ReplicateBusinessAgreement', ['BasicMessageHeader' => ['ID' => 'PHP-BA-2'],
  'BusinessAgreement' => ['ID' => '000000700021', 'Name' => 'Changed by PHP over SOAP 1.2']]);
$out['schema_violation'] = call($a11, 'ReplicateBusinessAgreement', ['BasicMessageHeader' => ['ID' => 'PHP-BA-4'],
  'BusinessAgreement' => ['actionCode' => '07', 'ID' => '000000700023']]);
// The plain SoapClient: fire and forget, for a message of an agreement of its own and a fault.
$out['plain_missing_partner'] = call($c11, 'ReplicateBusinessAgreement', ['BasicMessageHeader' => ['ID' => 'PHP-BA-3'],
  'BusinessAgreement' => ['actionCode' => '01', 'ObjectNodeSenderTechnicalID' => 'PB3', 'ID' => '000000700022',
                          'BusinessPartnerInternalID' => 'NOPE']]);
$out['plain_schema_violation'] = call($c11, 'ReplicateBusinessAgreement', ['BasicMessageHeader' => ['ID' => 'PHP-BA-5'],
  'BusinessAgreement' => ['ID' => '000000700024', 'Name' => str_repeat('n', 41)]]);
unlink($wsdl);
echo json_encode($out), "\n";
'''


def assert_log(test, log, result, items):
    """A confirmation's Log as a client decoded it: its result code and its items as (TypeID,
    severity, the task's sender technical ID)."""
    test.assertEqual(log["BusinessDocumentProcessingResultCode"], result, log)
    got = [(i["TypeID"], i["SeverityCode"], i.get("ReferenceObjectNodeSenderTechnicalID")) for i in log.get("Item", [])]
    test.assertEqual(got, items, log)
    if items:
        test.assertEqual(log["MaximumLogItemSeverityCode"], max(i[1] for i in items))


def assert_updated_task(test, stored, name, change_state_id, period, text, user):
    """The first task of the generated-client flows (gSOAP, .NET) as stored after its update: the
    create's parts, the update's life-cycle status and reference party, the new change state."""
    test.assertEqual(stored["name"], name)
    test.assertEqual(stored["change_state_id"], change_state_id)
    test.assertEqual(stored["life_cycle_status"], "2")
    test.assertEqual(stored["priority_code"], "1")
    test.assertEqual(stored["scheduled_period"], period)
    test.assertEqual(stored["processor"]["business_partner_id"], "MC2471")  # by EmployeeID E0001
    test.assertEqual(stored["main_activity_party"]["business_partner_id"], "MC9785")
    test.assertEqual([p["business_partner_id"] for p in stored["reference_parties"]], ["MCP17101"])
    test.assertEqual([(d["id"], d["type_code"], d["role_code"]) for d in stored["document_references"]],
                     [("4711", "72", "1")])
    test.assertEqual([(t["type_code"], t["language"], t["content"]) for t in stored["texts"]], [("10002", "DE", text)])
    test.assertEqual((stored["created_by"], stored["changed_by"]), (user, user))


class SoapPhp(ServerCase):
    extra_users, extra_config = EXTRA_USERS, EXTRA_CONFIG

    def php(self, script, path, user, *extra):
        php = shutil.which("php")
        self.assertIsNotNone(php, "php is needed (Debian php-cli and php-soap: CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh)")
        with tempfile.NamedTemporaryFile("w", suffix=".php", delete=False) as f:
            f.write(script)
        try:
            p = subprocess.run([php, "-d", "soap.wsdl_cache_enabled=0", f.name,
                                self.server.base + path, user, "Welcome1!", *extra],
                               capture_output=True, text=True, timeout=60)
        finally:
            os.unlink(f.name)
        self.assertEqual(p.returncode, 0, p.stdout[-3000:] + p.stderr[-3000:])
        return json.loads(p.stdout.strip().splitlines()[-1])

    def assert_log(self, log, result, items):
        assert_log(self, log, result, items)

    def test_manage_task_activity(self):
        out = self.php(TASK_SCRIPT, TASK_PATH + "1", "TASK_SYNC", self.server.tls_base + TASK_PATH)
        # SoapClient on the remote WSDL: downloaded with `login` (the failure is the policy, not
        # the download); with a wrong password the download itself fails.
        self.assertEqual(out["remote_wsdl"], POLICY_ERROR)
        self.assertRegex(out["remote_wsdl_wrong_password"], r"^SOAP-ERROR: Parsing WSDL: Couldn't load from ")
        wsdl_gets = self.access_log("GET", TASK_PATH + "1", lambda lines: ("TASK_SYNC", 200) in lines)
        self.assertIn(("TASK_SYNC", 200), wsdl_gets)
        # Both bindings' operations are known; PHP lists each once per port.
        self.assertEqual(sorted(set(re.findall(r" (\w+)\(", " ".join(out["functions"])))),
                         ["CheckMaintainBundle", "MaintainBundle"])

        create = out["create"]
        self.assertNotIn("fault", create, create)
        self.assertIn('SOAPAction: "http://sap.com/xi/A1S/Global/ManageTaskActivityIn/MaintainBundleRequest"',
                      create["request_headers"])
        self.assertIn("Content-Type: text/xml; charset=utf-8", create["request_headers"])
        self.assertIn("Authorization: Basic ", create["request_headers"])
        self.assertIn('<StartDateTime timeZoneCode="CET">2024-05-01T08:00:00Z</StartDateTime>', create["request"])
        self.assertIn('<ActivityTask actionCode="01" textListCompleteTransimissionIndicator="true">', create["request"])
        self.assertTrue(create["response"].startswith(
            '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Header/>'
            '<soap-env:Body><n0:TaskActivityBundleMaintainConfirmation_sync_V1 '
            'xmlns:n0="http://sap.com/xi/SAPGlobal20/Global"'), create["response"])
        self.assertRegex(create["response_headers"], r"^HTTP/1\.1 200 OK\r\n")
        result = create["result"]
        self.assert_log(result["Log"], "3", [])
        tasks = result["ActivityTask"]
        self.assertEqual([t["ReferenceObjectNodeSenderTechnicalID"] for t in tasks], ["P1", "P2"])
        self.assertEqual(tasks[0]["UUID"], "4f3e2d1c-0b9a-4876-a5b4-c3d2e1f0a9b8")
        for t in tasks:
            self.assertRegex(t["ChangeStateID"], r"^\d{14}\.\d{7}$")
            self.assertRegex(t["ID"], r"^\d+$")
        stored = self.control("/_causeway/task-activity/tasks/" + tasks[0]["ID"])
        self.assertEqual(stored["name"], "Rückruf – Müller (PHP)")
        self.assertEqual(stored["scheduled_period"], {"start": "2024-05-01T08:00:00Z", "start_time_zone": "CET",
                                                      "end": "2024-05-02T08:00:00.1234567Z", "end_time_zone": "CET"})
        self.assertEqual(stored["processor"]["business_partner_id"], "MC2471")
        self.assertEqual(stored["texts"][0]["content"], "Grüße aus PHP")
        self.assertEqual(stored["texts"][0]["language"], "DE")
        self.assertEqual(len(stored["document_references"]), 1, stored)
        second = self.control("/_causeway/task-activity/tasks/" + tasks[1]["ID"])
        self.assertEqual(second["employee_responsible"]["business_partner_id"], "MC2472", second)

        update = out["update12"]
        self.assertNotIn("fault", update, update)
        self.assertIn('Content-Type: application/soap+xml; charset=utf-8; '
                      'action="http://sap.com/xi/A1S/Global/ManageTaskActivityIn/MaintainBundleRequest"',
                      update["request_headers"])
        self.assertIn('<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"', update["request"])
        self.assertTrue(update["response"].startswith(
            '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header/>'), update["response"])
        self.assertIn("content-type: application/soap+xml; charset=utf-8", update["response_headers"].lower())
        self.assert_log(update["result"]["Log"], "3", [])
        [updated] = update["result"]["ActivityTask"]
        self.assertEqual((updated["ReferenceObjectNodeSenderTechnicalID"], updated["ID"]), ("P3", tasks[0]["ID"]))
        self.assertNotEqual(updated["ChangeStateID"], tasks[0]["ChangeStateID"])
        stored = self.control("/_causeway/task-activity/tasks/" + tasks[0]["ID"])
        self.assertEqual(stored["life_cycle_status"], "2")
        self.assertEqual([p["business_partner_id"] for p in stored["reference_parties"]], ["MCP17101"])
        self.assertEqual(stored["change_state_id"], updated["ChangeStateID"])

        stale = out["stale"]["result"]
        self.assertNotIn("ActivityTask", stale)
        self.assert_log(stale["Log"], "5", [("003(CAUSEWAY/ACTIVITY)", "3", "P4")])
        self.assertEqual(self.control("/_causeway/task-activity/tasks/" + tasks[0]["ID"])["name"],
                         "Rückruf – Müller (PHP)")

        check = out["check12"]
        self.assertIn("<env:Body><ns1:TaskActivityRequestBundleCheckMaintainQuery_sync_V1>", check["request"])
        self.assertIn('action="http://sap.com/xi/A1S/Global/ManageTaskActivityIn/CheckMaintainBundleRequest"',
                      check["request_headers"])
        self.assertIn("<n0:TaskActivityConfirmationBundleCheckMaintainResponse_sync_V1 ", check["response"])
        [checked] = check["result"]["ActivityTask"]
        self.assertEqual(checked["ReferenceObjectNodeSenderTechnicalID"], "C1")
        self.assertNotIn("ID", checked)  # a check draws no number
        self.assert_log(check["result"]["Log"], "4", [("004(CAUSEWAY/ACTIVITY)", "3", "C2")])

        partial = out["partial"]["result"]
        self.assertEqual([t["ReferenceObjectNodeSenderTechnicalID"] for t in partial["ActivityTask"]], ["P5"])
        self.assert_log(partial["Log"], "4", [("004(CAUSEWAY/ACTIVITY)", "3", "P6")])
        self.assertEqual(partial["Log"]["Item"][0]["Note"], "Business partner NOPE does not exist")

        first, again = out["idem_first"], out["idem_again"]
        self.assertNotIn("fault", again, again)
        self.assertEqual(first["result"], again["result"])
        self.assertEqual(first["result"]["ActivityTask"][0]["ReferenceObjectNodeSenderTechnicalID"], "I1")
        names = [t["name"] for t in self.control("/_causeway/task-activity/tasks?limit=1000")["tasks"]]
        self.assertEqual(names.count("once (PHP)"), 1)
        self.assertEqual(names.count("good one (PHP)"), 1)
        self.assertNotIn("checked only (PHP)", names)
        self.assertNotIn("bad partner (PHP)", names)
        self.assertNotIn("stale from PHP", names)

        fault = out["fault11"]
        self.assertIn('<ActivityTask actionCode="07">', fault["request"])
        self.assertEqual(fault["fault"]["code"], "soap-env:Server")
        self.assertRegex(fault["fault"]["string"], GENERIC_FAULT)
        self.assertIn("<faultcode>soap-env:Server</faultcode>", fault["response"])
        self.assertRegex(fault["response_headers"], r"^HTTP/1\.1 500 Internal Server Error\r\n")
        entry = self.control("/_causeway/task-activity/errors/" + fault["fault"]["string"][-33:-1])
        self.assertEqual((entry["category"], entry["operation"], entry["user"], entry["soap_version"]),
                         ("schema", "MaintainBundle", "TASK_SYNC", "1.1"))
        self.assertIn("actionCode", entry["detail"])

        fault = out["fault12"]
        self.assertIn("<ActivityTask><ObjectNodeSenderTechnicalID>P7</ObjectNodeSenderTechnicalID><UUID>not-a-uuid</UUID>",
                      fault["request"])
        self.assertEqual(fault["fault"]["code"], "env:Receiver")
        self.assertRegex(fault["fault"]["string"], GENERIC_FAULT)
        self.assertIn("<env:Code><env:Value>env:Receiver</env:Value></env:Code>", fault["response"])
        entry = self.control("/_causeway/task-activity/errors/" + fault["fault"]["string"][-33:-1])
        self.assertEqual((entry["category"], entry["soap_version"]), ("schema", "1.2"))
        self.assertIn("UUID", entry["detail"])

        wrong = out["wrong_password"]
        self.assertEqual((wrong["fault"]["code"], wrong["fault"]["string"]), ("HTTP", "Unauthorized"))
        self.assertRegex(wrong["response_headers"], r"^HTTP/1\.1 401 ")
        self.assertRegex(wrong["response_headers"].lower(),
                         r'www-authenticate: basic realm="sap netweaver application server \[cwy/100\]"')
        self.assertNotIn("fault", out["after_wrong"], out["after_wrong"])
        self.assertEqual(out["after_wrong"]["result"]["Log"]["BusinessDocumentProcessingResultCode"], "3")

        self.assertEqual(out["tls_address"], f"https://127.0.0.1:{self.server.tls_port}{TASK_PATH}?sap-vhost=127.0.0.1")
        tls = out["tls"]
        self.assertNotIn("fault", tls, tls)
        self.assertIn(f"Host: 127.0.0.1:{self.server.tls_port}", tls["request_headers"])
        self.assertEqual(tls["result"]["ActivityTask"][0]["ReferenceObjectNodeSenderTechnicalID"], "T1")
        self.assertRegex(tls["response_headers"], r"(?im)^set-cookie: SAP_SESSIONID_CWY_100=[^\r\n]*; secure\r?$")

    def test_compressed_requests(self):
        out = self.php(COMPRESSED_SCRIPT, TASK_PATH, "TASK_SYNC")
        gz = out["gzip"]
        self.assertNotIn("fault", gz, gz)
        self.assertIn("Content-Encoding: gzip", gz["request_headers"])
        self.assert_log(gz["result"]["Log"], "3", [])
        task = gz["result"]["ActivityTask"][0]
        self.assertEqual(task["ReferenceObjectNodeSenderTechnicalID"], "Z1")
        stored = self.control("/_causeway/task-activity/tasks/" + task["ID"])
        self.assertEqual(stored["name"], "gzipped – Grüße")

        deflated = out["deflate"]
        self.assertNotIn("fault", deflated, deflated)
        self.assertIn("Content-Encoding: deflate", deflated["request_headers"])
        self.assert_log(deflated["result"]["Log"], "4", [("004(CAUSEWAY/ACTIVITY)", "3", "Z3")])

    def test_business_agreement_replication(self):
        out = self.php(BUAG_SCRIPT, BUAG_PATH, "BUAG_REPL")
        self.assertEqual(out["remote_wsdl"], POLICY_ERROR)
        self.assertEqual(sorted(set(out["functions"])),
                         ["void ReplicateBusinessAgreement(BusinessAgreementReplicateRequestMessage "
                          "$BusinessAgreementReplicateRequest)"])
        for k in ("first", "resend12", "update12"):
            # Acknowledged one-way calls: 202 Accepted with an empty body, which SoapClient returns as null.
            c = out[k]
            self.assertNotIn("fault", c, c)
            self.assertIsNone(c["result"])
            self.assertRegex(c["response_headers"], r"^HTTP/1\.1 202 Accepted\r\n")
            self.assertIn("content-length: 0", c["response_headers"].lower())
            self.assertEqual(c["response"], "")
        self.assertIn('SOAPAction: "http://sap.com/xi/A1S/Global/BusinessAgreementReplicationIn/'
                      'ReplicateBusinessAgreementRequest"', out["first"]["request_headers"])
        self.assertIn("<SOAP-ENV:Body><ns1:BusinessAgreementReplicateRequest><BasicMessageHeader>", out["first"]["request"])
        self.assertIn('<BusinessAgreement actionCode="01" contactPersonListCompleteTransmissionIndicator="true">',
                      out["first"]["request"])
        self.assertIn('Content-Type: application/soap+xml; charset=utf-8; action="http://sap.com/xi/A1S/Global/'
                      'BusinessAgreementReplicationIn/ReplicateBusinessAgreementRequest"', out["update12"]["request_headers"])
        fault = out["schema_violation"]
        self.assertEqual(fault["fault"]["code"], "soap-env:Server")
        self.assertRegex(fault["fault"]["string"], GENERIC_FAULT)
        self.assertRegex(fault["response_headers"], r"^HTTP/1\.1 500 Internal Server Error\r\n")
        entry = self.control("/_causeway/messages/" + fault["fault"]["string"][-33:-1])
        self.assertEqual((entry["kind"], entry["category"], entry["user"]), ("sync", "schema", "BUAG_REPL"))
        self.assertIn("actionCode", entry["detail"])
        for k in ("plain_missing_partner", "plain_schema_violation"):
            # The plain SoapClient writes the request, closes and returns null: no status, no body, no fault.
            c = out[k]
            self.assertNotIn("fault", c, c)
            self.assertIsNone(c["result"])
            self.assertIn(c["response_headers"], (None, ""))
            self.assertIn(c["response"], (None, ""))
        self.assertIn("<Name>" + "n" * 41 + "</Name>", out["plain_schema_violation"]["request"])

        # What the server answered, in the order its answers completed (the plain client does not
        # wait, so its two may finish in either order): 202 for each stored message and the resend,
        # the generic fault (500) for both schema violations.
        posts = self.access_log("POST", BUAG_PATH, lambda lines: len(lines) >= 6, user="BUAG_REPL")
        self.assertEqual(sorted(status for _, status in posts), [202, 202, 202, 202, 500, 500])

        done = self.settled(object_key="ID:000000700021")
        self.assertEqual(len(done), 2, done)  # the resend stored nothing
        self.assertEqual([m["status"] for m in done], ["processed", "processed"])
        self.assertEqual(sorted(m["soap_version"] for m in done), ["1.1", "1.2"])
        self.assertEqual(sorted(m["message_uuid"] or m["message_id"] for m in done),
                         ["2d3e4f5a-6b7c-4d8e-9fa0-b1c2d3e4f5a6", "PHP-BA-2"])
        stored = self.control("/_causeway/business-agreement/agreements/000000700021")
        self.assertEqual((stored["name"], stored["revision"]), ("Changed by PHP over SOAP 1.2", 2))
        self.assertEqual(stored["business_partner_id"], "UC100001")
        self.assertEqual(stored["contact_persons"], [{"business_partner_id": "UCP20001", "main": True}])
        self.assertEqual(stored["payment_data"], [{"direction_code": "1", "payment_method_code": "D"}])
        self.assertEqual((stored["texts"][0]["content"], stored["texts"][0]["language_code"]), ("über PHP", "DE"))
        self.assertEqual(stored["created_by"], "BUAG_REPL")

        failed = self.settled(object_key="ID:000000700022")
        self.assertEqual(failed[0]["status"], "error")
        log = self.control("/_causeway/messages/" + failed[0]["id"])["log"]
        self.assertEqual((log[0]["type_id"], log[0]["severity"], log[0]["sender_id"]),
                         ("004(CAUSEWAY/AGREEMENT)", 3, "PB3"))
        self.control("/_causeway/business-agreement/agreements/000000700022", expect=404)

        faults = self.control("/_causeway/messages?limit=1000&kind=sync&user=BUAG_REPL")["messages"]
        self.assertEqual([(m["category"], m["soap_version"]) for m in faults], [("schema", "1.1")] * 2)
        self.assertEqual(sum("Name" in m["detail"] for m in faults), 1, faults)
        for message_id in ("PHP-BA-4", "PHP-BA-5"):
            self.assertEqual(self.control("/_causeway/messages?limit=1000&kind=async&message_id=" + message_id)
                             ["messages"], [])
        self.control("/_causeway/business-agreement/agreements/000000700024", expect=404)


if __name__ == "__main__":
    unittest.main()
