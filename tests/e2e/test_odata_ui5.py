"""BC_EXT_APPJOB_MANAGEMENT with the real OpenUI5 sap.ui.model.odata.v2.ODataModel in Debian's
Chromium (headless, driven by playwright-core), with and without $batch.

The page, OpenUI5's resources and the service share one origin, as in a deployment: a small proxy
here (the way UI5 tooling serves an app in development) serves /resources/ (OpenUI5 from npm),
/test/ (tests/e2e/ui5/) and forwards /sap/ to Causeway with every header as it came (Host,
Authorization, Cookie, Set-Cookie, X-CSRF-Token, Content-Type with its boundary, ...). The browser
logs on by answering the server's Basic challenge (Playwright's httpCredentials, a person at the
logon dialog); the app sends no credentials of its own. The proxy records every exchange, so the
assertions can name the bytes UI5 sent and what came back.

OpenUI5 (@openui5/sap.ui.core 1.152.0) and playwright-core (1.65.1) come from npm into <build>/e2e-ui5
(kept between runs); Chromium is Debian's (CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh). A missing
browser or a failed install fails the test: nothing is skipped. CAUSEWAY_UI5_WIRE=<file> writes the
recorded exchanges there as JSON."""
import json
import os
import re
import shutil
import signal
import subprocess
import time
import unittest
import urllib.parse

from harness import Server, npm_dir
from recording_proxy import RecordingProxy, header

HERE = os.path.dirname(os.path.abspath(__file__))
PAGE_DIR = os.path.join(HERE, "ui5")
CHROMIUM = os.environ.get("CAUSEWAY_CHROMIUM", "/usr/bin/chromium")
SERVICE = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT/"
USER, PASSWORD = "JOB_ADMIN", "Welcome1!"
MODES = ("batch", "nobatch")
JOB_NAME = re.compile(r"^[0-9A-F]{32}$")


def ui5_node_dir():
    """OpenUI5's core and playwright-core from npm in <build>/e2e-ui5 (kept between runs)."""
    # Exact versions: a new release on the registry must not change what a test run means.
    return npm_dir("e2e-ui5", {"name": "causeway-e2e-ui5", "private": True,
                               "dependencies": {"@openui5/sap.ui.core": "1.152.0", "playwright-core": "1.65.1"}})


def ui5_resources(node_dir):
    """The folder that holds sap-ui-core.js: the npm package has `src` (or `dist/resources`)."""
    package = os.path.join(node_dir, "node_modules", "@openui5", "sap.ui.core")
    for sub in ("dist/resources", "src"):
        if os.path.exists(os.path.join(package, sub, "sap-ui-core.js")):
            return os.path.join(package, sub)
    raise RuntimeError(f"no sap-ui-core.js in {package}")


class UI5ODataModel(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.t0 = time.monotonic()
        if not os.access(CHROMIUM, os.X_OK):
            raise AssertionError(f"no {CHROMIUM}: CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh installs Debian's chromium")
        node = shutil.which("node")
        if not node:
            raise AssertionError("no node: CAUSEWAY_TEST_DEPS=1 scripts/install-deps.sh installs nodejs")
        cls.node_dir = ui5_node_dir()
        cls.install_s = time.monotonic() - cls.t0
        cls.server = Server()
        cls.proxy = None
        try:
            cls.proxy = RecordingProxy(cls.server.port, [("/resources/", ui5_resources(cls.node_dir)), ("/test/", PAGE_DIR)])
            t = time.monotonic()
            # Its own process group: Chromium and its helpers go with the driver if it must be killed.
            cls.driver = subprocess.Popen([node, os.path.join(PAGE_DIR, "driver.js"), cls.proxy.base + "/test/index.html",
                                           USER, PASSWORD, ",".join(MODES)],
                                          env=dict(os.environ, UI5_NODE_DIR=cls.node_dir, CHROMIUM=CHROMIUM),
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          start_new_session=True)
            try:
                stdout, stderr = cls.driver.communicate(timeout=150)
            except subprocess.TimeoutExpired:
                cls.kill_driver()
                raise AssertionError("the browser run did not end within 150 s")
            cls.browser_s = time.monotonic() - t
            if cls.driver.returncode != 0:
                raise AssertionError("the browser run failed:\n" + stderr[-5000:])
            cls.out = json.loads(stdout.strip().splitlines()[-1])
            cls.wire = list(cls.proxy.exchanges)
            if os.environ.get("CAUSEWAY_UI5_WIRE"):
                with open(os.environ["CAUSEWAY_UI5_WIRE"], "w") as f:
                    json.dump({"browser": cls.out, "wire": cls.wire}, f, indent=1)
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def kill_driver(cls):
        driver = getattr(cls, "driver", None)
        if driver is not None and driver.poll() is None:
            try:
                os.killpg(driver.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            driver.communicate()

    @classmethod
    def tearDownClass(cls):
        cls.kill_driver()  # the driver closes the browser itself; this is for a run cut short
        if getattr(cls, "proxy", None):
            cls.proxy.close()
        cls.server.close()
        print(f"\nui5: npm check/install {getattr(cls, 'install_s', 0):.1f}s, browser "
              f"{getattr(cls, 'browser_s', 0):.1f}s, whole class {time.monotonic() - cls.t0:.1f}s")

    # -- helpers ------------------------------------------------------------------------------------

    def steps(self, mode):
        return self.out["modes"][mode]["steps"]

    def value(self, mode, name):
        """The value of a step that must have succeeded (its error in the failure message)."""
        step = self.steps(mode).get(name)
        self.assertIsNotNone(step, f"{mode}: step {name} did not run (an earlier step failed)")
        self.assertTrue(step["ok"], f"{mode}: {name} failed: {json.dumps(step.get('error'))[:3000]}")
        return step["value"]

    def exchanges(self, mode):
        """The proxied exchanges of one mode's browser context (each context logs on anew with a
        401 → Basic answer on $metadata, so a mode's exchanges start at its first $metadata GET)."""
        starts = [i for i, e in enumerate(self.wire) if e["method"] == "GET" and e["path"] == SERVICE + "$metadata"
                  and e["status"] == 401]
        self.assertEqual(len(starts), len(MODES), [e["path"] for e in self.wire][:20])
        i = MODES.index(mode)
        return self.wire[starts[i]:starts[i + 1] if i + 1 < len(starts) else None]

    def assert_gateway_error(self, mode, error, status, code, text):
        self.assertEqual(str(error["statusCode"]), str(status), error)
        self.assertEqual(error["message"], "HTTP request failed", error)
        gateway = error.get("gateway")
        self.assertIsNotNone(gateway, f"{mode}: responseText is no Gateway JSON error: {error.get('responseText')!r}")
        self.assertEqual(gateway["code"], code)
        self.assertEqual(gateway["message"], {"lang": "en", "value": text})
        self.assertEqual(gateway["innererror"]["errordetails"][0]["code"], code)

    def assert_job(self, mode, job):
        self.assertRegex(job["JobName"], JOB_NAME)
        self.assertRegex(job["JobRunCount"], r"^[0-9A-Za-z]{8}$")
        self.assertEqual(job["ReturnCode"], 0)
        self.assertIn(job["JobStatus"], ("Y", "S", "R", "F"))
        self.assertEqual(job["__metadata"]["type"], "BC_EXT_APPJOB_MANAGEMENT.JobScheduleStatus")
        # Host went through the proxy unchanged: the ids name the origin the app talks to.
        self.assertEqual(job["__metadata"]["uri"], self.proxy.base + SERVICE +
                         f"JobScheduleStatusCollection(JobName='{job['JobName']}',JobRunCount='{job['JobRunCount']}')")

    # -- the ODataModel's outcomes, per mode ------------------------------------------------------

    def test_metadata_loaded(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                self.assertEqual(self.out["modes"][mode]["ui5Version"].split(".")[0], "1")
                meta = self.value(mode, "metadata")
                self.assertIn("JobTemplateSet", meta["entitySets"])
                self.assertTrue({"JobSchedule", "JobStatusGet", "JobCancel", "JobinfoGet", "JobListGet"}
                                <= set(meta["functionImports"]), meta)
                self.assertEqual(meta["jobScheduleMethod"], "POST")

    def test_reads_of_the_template_set(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                templates = self.value(mode, "templates")
                names = [t["name"] for t in templates]
                self.assertTrue({"ZCW_DEMO_NOOP", "ZCW_DEMO_SLEEP", "/IBP/LOG_DELETION"} <= set(names), names)
                noop = next(t for t in templates if t["name"] == "ZCW_DEMO_NOOP")
                self.assertEqual(noop["uri"], self.proxy.base + SERVICE +
                                 "JobTemplateSet(JobTemplateName='ZCW_DEMO_NOOP',JobTemplateVersion='0')")
                self.assertEqual(self.value(mode, "templateByKey")["text"], noop["text"])
                # A key with slashes: UI5 sends them as %2F inside the key predicate.
                slash = self.value(mode, "templateWithSlashByKey")
                self.assertEqual(slash["path"], "/JobTemplateSet(JobTemplateName='%2FIBP%2FLOG_DELETION',JobTemplateVersion='0')")
                self.assertEqual((slash["name"], slash["property"]), ("/IBP/LOG_DELETION", "Delete Application Logs"))
                demo = sorted((n for n in names if n.startswith("ZCW_DEMO_")), reverse=True)
                self.assertEqual(self.value(mode, "templatesFiltered"), demo)  # $filter startswith, $orderby desc
                self.assertEqual(self.value(mode, "templatesSelect"),
                                 [["JobTemplateName", "JobTemplateText", "__metadata"]] * len(names))
                # A table's list binding: $count and $skip/$top; then $inlinecount with $filter substringof.
                listed = self.value(mode, "listBinding")
                self.assertEqual((listed["length"], listed["lengthFinal"]), (len(names), True))
                self.assertEqual(listed["names"], names)
                inline = self.value(mode, "listBindingInlineCount")
                with_demo = sorted(n for n in names if "DEMO" in n)
                self.assertEqual((inline["length"], inline["names"]), (len(with_demo), with_demo[:3]))

    def test_schedule_status_steps_and_list(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                job = self.value(mode, "schedule")
                self.assert_job(mode, job)
                finished = self.value(mode, "statusFinished")
                self.assertEqual(finished["status"], "F", finished)
                self.assertEqual((finished["last"]["JobName"], finished["last"]["JobRunCount"]),
                                 (job["JobName"], job["JobRunCount"]))
                info = self.value(mode, "jobinfo")
                self.assertEqual([(s["StepCount"], s["StepStatus"], s["JobStatus"]) for s in info], [(1, "F", "F")])
                self.assertRegex(info[0]["JobEndDateTime"], r"^\d{4}-\d\d-\d\dT")  # Edm.DateTime became a Date
                header = self.value(mode, "jobHeaderExpand")
                self.assertEqual(header, {"JobName": job["JobName"], "JobStatus": "F",
                                          "JobTemplateName": "ZCW_DEMO_NOOP", "steps": ["F"]})
                listed = self.value(mode, "joblist")
                self.assertEqual([(j["JobName"], j["JobRunCount"], j["JobStatus"], j["TemplateName"]) for j in listed],
                                 [(job["JobName"], job["JobRunCount"], "F", "ZCW_DEMO_NOOP")])

    def test_calls_issued_together(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                together = self.value(mode, "together")
                self.assertEqual(together["templates"], len(self.value(mode, "templates")))
                self.assert_job(mode, together["scheduled"])
                self.assertGreaterEqual(together["listed"], 1)
        # With $batch the three went in one request: the GETs as parts, the POST in a change set.
        batch = [e for e in self.exchanges("batch") if e["path"].endswith("$batch") and "-together'" in e["request_body"]]
        self.assertEqual(len(batch), 1, [e["request_body"][:300] for e in batch])
        body = batch[0]["request_body"]
        self.assertEqual(body.count("Content-Type: application/http"), 3, body)
        self.assertRegex(body, r"Content-Type: multipart/mixed; ?boundary=changeset_[^\r\n]*\r?\n\r?\n--changeset_"
                               r"[^\r\n]*\r?\nContent-Type: application/http\r?\nContent-Transfer-Encoding: binary"
                               r"\r?\n\r?\nPOST JobSchedule\?")
        self.assertEqual(batch[0]["status"], 202)
        self.assertEqual(batch[0]["response_body"].count("HTTP/1.1 200 OK"), 3, batch[0]["response_body"][:3000])

    def test_cancel_of_a_running_job(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                sleeper = self.value(mode, "scheduleSleep")
                self.assert_job(mode, sleeper)
                self.assertEqual(self.value(mode, "statusRunning")["status"], "R")
                cancelled = self.value(mode, "cancel")
                self.assertEqual(cancelled["ReturnCode"], 0)
                self.assertEqual(cancelled["__metadata"]["type"], "BC_EXT_APPJOB_MANAGEMENT.FuncImpReturn")
                self.assertEqual(self.value(mode, "statusCancelled")["status"], "C")

    def test_parameter_values_as_ui5_formats_them(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                self.assert_job(mode, self.value(mode, "scheduleOddText"))
                odd = self.value(mode, "listOddText")
                self.assertEqual([j["JobText"] for j in odd["found"]], [odd["wanted"]])
                # Edm.DateTime parameters from Date objects: every NOOP job of this mode and the one before.
                texts = self.value(mode, "listByCreationTime")
                self.assertIn(odd["wanted"], texts)
                self.assertIn(self.value(mode, "joblist")[0]["JobText"], texts)
        wire = [e for e in self.exchanges("nobatch") if e["path"].startswith(SERVICE + "JobListGet?CreationTimeFrom=")]
        self.assertEqual(len(wire), 1)
        # UI5 1.x writes milliseconds: datetime'2026-01-01T10:00:00.123'.
        self.assertRegex(wire[0]["path"], r"CreationTimeFrom=datetime%27\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d(\.\d+)?%27")

    def test_a_failed_change_set_is_one_unit(self):
        atomic = self.value("batch", "changeSetAtomic")
        # Gateway answers a failed change set with its single error part; UI5 hands it to every
        # request of the change set, and the first JobSchedule left no job behind.
        for which in ("first", "second"):
            self.assertIn("error", atomic[which], atomic[which])
            self.assert_gateway_error("batch", atomic[which]["error"], 400, "APJ_RT/015",
                                      "Job template ZCW_NO_SUCH_TEMPLATE doesn't exist.")
        self.assertEqual(atomic["listed"], 0)

    def test_session_loss_makes_ui5_fetch_a_new_token_and_repeat(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                self.assert_job(mode, self.value(mode, "afterSessionLoss"))
                wire = self.exchanges(mode)
                refused = [i for i, e in enumerate(wire) if e["status"] == 403]
                self.assertEqual(len(refused), 1, [(e["method"], e["path"], e["status"]) for e in wire])
                i = refused[0]
                self.assertEqual(header(wire[i]["response_headers"], "x-csrf-token"), "Required")
                fetch, repeat = wire[i + 1], wire[i + 2]
                self.assertEqual((fetch["method"], fetch["status"], header(fetch["request_headers"], "x-csrf-token")),
                                 ("HEAD", 200, "Fetch"))
                token = header(fetch["response_headers"], "x-csrf-token")
                self.assertEqual((repeat["method"], repeat["path"], repeat["status"]),
                                 (wire[i]["method"], wire[i]["path"], 202 if mode == "batch" else 200))
                self.assertEqual(header(repeat["request_headers"], "x-csrf-token"), token)

    def test_errors_reach_the_error_callback_with_the_gateway_text(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                self.assert_gateway_error(mode, self.value(mode, "errorUnknownJob"), 400, "APJ_RT/003", "Job doesn't exist.")
                self.assert_gateway_error(mode, self.value(mode, "errorUnknownTemplate"), 400, "APJ_RT/015",
                                          "Job template ZCW_NO_SUCH_TEMPLATE doesn't exist.")
                # UI5's ODataMessageParser made one error message of each (outer and detail are the same).
                self.assertEqual(self.value(mode, "errorUnknownJobMessages"),
                                 [{"message": "Job doesn't exist.", "type": "Error", "code": "APJ_RT/003", "technical": True}])
                self.assertEqual(self.value(mode, "errorUnknownTemplateMessages"),
                                 [{"message": "Job template ZCW_NO_SUCH_TEMPLATE doesn't exist.", "type": "Error",
                                   "code": "APJ_RT/015", "technical": True}])

    # -- the wire ---------------------------------------------------------------------------------

    def test_wire_csrf_batching_and_no_server_error(self):
        for mode in MODES:
            with self.subTest(mode=mode):
                wire = self.exchanges(mode)
                self.assertEqual([e["status"] for e in wire if e["status"] >= 500], [])
                logon = wire[1]
                self.assertEqual((logon["method"], logon["path"], logon["status"]), ("GET", SERVICE + "$metadata", 200))
                self.assertIsNotNone(header(logon["request_headers"], "authorization"))
                # The token is fetched (HEAD on the service root) right before the first POST ($batch
                # is one, whatever it holds).
                first_post = next(i for i, e in enumerate(wire) if e["method"] == "POST")
                fetch = wire[first_post - 1]
                self.assertEqual((fetch["method"], fetch["path"], fetch["status"]), ("HEAD", SERVICE, 200))
                self.assertEqual([e for e in wire[:first_post - 1] if e["method"] not in ("GET",)], [])
                self.assertEqual(header(fetch["request_headers"], "x-csrf-token"), "Fetch")
                token = header(fetch["response_headers"], "x-csrf-token")
                self.assertTrue(token and token != "Required")
                rest = wire[first_post:]
                if mode == "batch":
                    # Every read and call went in a $batch; POST function imports in change sets.
                    self.assertEqual({(e["method"], e["path"]) for e in rest} - {("HEAD", SERVICE)},
                                     {("POST", SERVICE + "$batch")})
                    self.assertTrue(all(e["status"] in (202, 403) for e in rest if e["method"] == "POST"))
                    schedules = [e for e in rest if "\nPOST JobSchedule?" in e["request_body"]]
                    self.assertTrue(schedules)
                    self.assertTrue(all("boundary=changeset_" in e["request_body"] for e in schedules))
                else:
                    self.assertFalse([e for e in rest if e["path"].endswith("$batch")])
                    posts = [e for e in rest if e["method"] == "POST"]
                    self.assertTrue(posts)
                    self.assertTrue(all(e["path"].startswith((SERVICE + "JobSchedule?", SERVICE + "JobCancel?"))
                                        for e in posts), [e["path"] for e in posts])
                    self.assertTrue(all(header(e["request_headers"], "x-csrf-token") for e in posts))

    def test_browser_saw_no_script_error(self):
        self.assertEqual(self.out["pageErrors"], [])
        # UI5 logs what it dislikes in an answer (a batch part it cannot parse, a malformed error body,
        # an unknown media type) as a warning or an error. Only these may appear: the bootstrap of
        # the npm package's src layout, UI5's own note on optional parameters left out, the expected
        # error answers and Gateway's errordetails, which carry both "propertyref" and "target"
        # (as real Gateway's do; UI5 warns about that for any Gateway).
        expected = re.compile("|".join([
            r"Modules and libraries declared via bootstrap-configuration are loaded synchronously",
            r"resource sap-ui-version\.json could not be loaded",
            r"Failed to load resource: the server responded with a status of (404|400|403) ",
            r"No value given for parameter '\w+' of function import '/(JobSchedule|JobListGet)'",
            r"Used the message's 'target' property for target calculation; the property 'propertyref' is deprecated",
            r"Request failed with status code 400: \S+ \S*(JobStatusGet\?JobName='0123456789ABCDEF|"
            r"JobSchedule\?JobTemplateName='ZCW_(NO_SUCH_TEMPLATE|DEMO_NOOP)'&JobText='ui5-(atomic-)?(no)?batch-)",
        ]))
        complaints = [f"{m['mode']} {m['type']}: {m['text'][:500]}" for m in self.out["console"]
                      if m["type"] in ("warning", "error") and not expected.search(m["text"])]
        self.assertEqual(complaints, [])
        # The npm package's src layout has no built theme (library.css) and no sap-ui-version.json:
        # the only requests that may fail. Everything under /sap/ answered.
        self.assertEqual([r for r in self.out["failedRequests"] if urllib.parse.urlsplit(r["url"]).path.startswith("/sap/")], [])


if __name__ == "__main__":
    unittest.main()
