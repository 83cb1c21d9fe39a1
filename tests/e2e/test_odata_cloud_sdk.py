"""BC_EXT_APPJOB_MANAGEMENT and EXT_INTEGRATION_SRV driven by the real SAP Cloud SDK for JavaScript:
`@sap-cloud-sdk/generator` generates typed clients from the `$metadata` the server serves (fetched with
Basic credentials), `@sap-cloud-sdk/odata-v2` runs them with a plain destination {url, username,
password}: its own CSRF fetch before every POST/PUT/PATCH, its own JSON parsing (Edm.DateTime into
Moment values) and its own reading of Gateway errors (error.message.value into the error message).

The SDK is installed from npm into <build>/e2e-cloud-sdk (kept between runs, reinstalled when the pinned
version changes); a failing install fails the test (no skipping). The clients are generated into a
directory of that tree per run (the generated code resolves @sap-cloud-sdk/* from its node_modules).

Known SDK-side defect this test steps around (not a server matter): the SDK does not percent-encode
function-import parameters (`ODataFunctionRequestConfig.queryParameters` formats the literal and the
typed-client parameter encoder leaves it as it is), so a space in a string parameter makes Node refuse
the request (ERR_UNESCAPED_CHARACTERS) before anything is sent, and `&`, `#` or `%` would corrupt the
query. Texts passed to function imports here therefore contain none of these."""
import calendar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

from harness import BINARY, SERVICE, Server, basic, npm_dir
# The connector user and the demo customizing pointed at tests/support/fb_tool.py, as there.
from test_focused_build import CONFIG, USERS

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "support", "fb_tool.py")
STATUS_SERVICE = "/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/"
ADMIN = {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}

# One version for every @sap-cloud-sdk package: npm would otherwise mix minor versions (the generator of
# one release with odata-common of the next), and the generated code then fails to compile. 4.5.1 is the
# newest 4.x release whose packages all resolve (the generator 4.8.0 asks for a generator-common 4.8.0
# that the registry does not have).
SDK_VERSION = "4.5.1"
SDK_PACKAGES = ["connectivity", "generator", "generator-common", "http-client", "odata-common", "odata-v2",
                "odata-v4", "resilience", "util"]
PACKAGE_JSON = {
    "name": "causeway-e2e-cloud-sdk",
    "private": True,
    "dependencies": {"@sap-cloud-sdk/generator": SDK_VERSION, "@sap-cloud-sdk/odata-v2": SDK_VERSION,
                     "typescript": "5.9.3"},
    "overrides": {f"@sap-cloud-sdk/{p}": SDK_VERSION for p in SDK_PACKAGES
                  if p not in ("generator", "odata-v2")},
}

CLIENT_SCRIPT = r'''
const moment = require('moment');
const { desc, filterFunctions } = require('@sap-cloud-sdk/odata-v2');
const [mode, genDir, base, user, password, ...rest] = process.argv.slice(2);
const appjob = require(genDir + '/BC_EXT_APPJOB_MANAGEMENT');
const extIntegration = require(genDir + '/EXT_INTEGRATION_SRV');
const destination = { url: base, username: user, password };
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

// An entity (or a list of them) as JSON, keeping what the SDK made of each value: Moment values
// become {"$moment": ISO}, other objects {"$type": constructor name}; properties the metadata does
// not declare (the SDK keeps them as custom fields) appear under "$custom".
function plain(value) {
  if (Array.isArray(value)) return value.map(plain);
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (moment.isMoment(value)) return { $moment: value.toISOString() };
  if (typeof value.getCustomFields !== 'function') {
    if (value.constructor === Object) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    return { $type: value.constructor && value.constructor.name };
  }
  const out = {};
  for (const key of Object.keys(value)) out[key] = plain(value[key]);
  const custom = value.getCustomFields();
  if (Object.keys(custom).length) out.$custom = custom;
  return out;
}

// What the SDK's error carries: the messages of its cause chain and the HTTP answer under it.
function failure(e) {
  const messages = [];
  let response;
  for (let c = e; c; c = c.cause) {
    messages.push(String(c.message));
    if (!response && c.response) response = c.response;
  }
  const body = response && response.data;
  const error = body && typeof body === 'object' ? body.error : undefined;
  return {
    messages,
    status: response ? response.status : null,
    code: error ? error.code : null,
    www_authenticate: response ? response.headers['www-authenticate'] || null : null
  };
}

async function attempt(fn) {
  try {
    return { ok: plain(await fn()) };
  } catch (e) {
    return { error: failure(e) };
  }
}

const param = (name, value, step) =>
  ({ STEP_NR: step, NAME: name, T_VALUE: [{ SIGN: 'I', OPTION: 'EQ', LOW: String(value), HIGH: '' }] });

async function names() {
  const jobs = appjob.bcExtAppjobManagement();
  const ext = extIntegration.extIntegrationSrv();
  // The service object exposes one getter per entity set (<name>Api) on its prototype.
  const apis = service => Object.getOwnPropertyNames(Object.getPrototypeOf(service))
    .filter(k => k.endsWith('Api') && k !== 'initApi').sort();
  const sets = service => apis(service).map(k => service[k].entityConstructor)
    .map(c => ({ set: c._entityName, base: c._defaultBasePath, keys: c._keys }));
  return {
    appjob: { sets: sets(jobs), operations: Object.keys(jobs.operations).sort(), apis: apis(jobs) },
    ext: { sets: sets(ext), apis: apis(ext) }
  };
}

async function jobs() {
  const { jobTemplateSetApi: T, jobHeaderSetApi: H, jobStepSetApi: S, jobStepLogInfoSetApi: L,
          jobLogMessageSetApi: M, jobStatusInfoSetApi: SI, operations } = appjob.bcExtAppjobManagement();
  const statusOf = job => operations.jobStatusGet({ jobName: job.jobName, jobRunCount: job.jobRunCount });
  async function waitStatus(job, until, timeoutMs = 30000) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
      last = await statusOf(job).execute(destination);
      if (until.includes(last.jobStatus)) return last;
      await sleep(20);
    }
    throw new Error(`job ${job.jobName}/${job.jobRunCount} did not reach ${until}: last ${last && last.jobStatus}`);
  }
  const out = { started: moment().toISOString() };

  // Entity set reads with the query options the SDK writes.
  out.templates = await attempt(() => T.requestBuilder().getAll().execute(destination));
  out.template = await attempt(() => T.requestBuilder().getByKey('ZCW_DEMO_CHAIN', '0').execute(destination));
  out.template_slash = await attempt(() => T.requestBuilder().getByKey('/IBP/CREATE_TIME_PERIODS', '0')
    .execute(destination));
  out.filtered = await attempt(() => T.requestBuilder().getAll()
    .filter(T.schema.JOB_TEMPLATE_TEXT.equals('Demo: does nothing'))
    .select(T.schema.JOB_TEMPLATE_NAME, T.schema.JOB_TEMPLATE_VERSION, T.schema.JOB_TEMPLATE_TEXT).execute(destination));
  out.paged = await attempt(() => T.requestBuilder().getAll().orderBy(desc(T.schema.JOB_TEMPLATE_NAME)).skip(1).top(2)
    .execute(destination));
  out.starts_with = await attempt(() => T.requestBuilder().getAll()
    .filter(filterFunctions().startsWith(T.schema.JOB_TEMPLATE_NAME, 'ZCW_DEMO_S').equals(true)).execute(destination));
  out.created_after = await attempt(() => T.requestBuilder().getAll()
    .filter(T.schema.CREATION_DATE_TIME.greaterThan(moment.utc('2020-01-01T00:00:00.123Z'))).execute(destination));
  out.count = await attempt(() => T.requestBuilder().getAll().count().execute(destination));
  out.status_text_de = await attempt(() => SI.requestBuilder().getByKey('C')
    .addCustomQueryParameters({ 'sap-language': 'DE' }).execute(destination));

  // JobSchedule (POST: the SDK fetches the CSRF token itself), JobStatusGet until the job ends,
  // then JobinfoGet, JobListGet and the job header with its steps, logs and messages.
  const scheduled = await attempt(() => operations.jobSchedule({
    jobTemplateName: 'ZCW_DEMO_CHAIN', jobText: 'CloudSDK-chain', jobUser: 'PLANNER',
    jobParameterValuesSimple: JSON.stringify({ VALUES: [param('P_SECONDS', 0, 2)] })
  }).execute(destination));
  out.schedule = scheduled;
  if (scheduled.ok) {
    const job = scheduled.ok;
    out.final_status = await attempt(() => waitStatus(job, ['F', 'A']));
    out.jobinfo = await attempt(() => operations.jobinfoGet({ jobName: job.jobName, jobRunCount: job.jobRunCount })
      .execute(destination));
    out.joblist = await attempt(() => operations.jobListGet({
      creationTimeFrom: moment().subtract(10, 'minutes'), creationTimeTo: moment().add(10, 'minutes'),
      jobText: 'CloudSDK-chain'
    }).execute(destination));
    out.latest_header = await attempt(() => H.requestBuilder().getAll()
      .filter(H.schema.JOB_TEMPLATE_NAME.equals('ZCW_DEMO_CHAIN'))
      .orderBy(desc(H.schema.JOB_PLANNED_START_DATE_TIME)).top(1).execute(destination));
    // The SDK's only way to $expand in OData V2 is a $select on the link; it always writes
    // `$select=*,JobStepSet/*,…&$expand=JobStepSet,…`.
    out.header_expanded = await attempt(() => H.requestBuilder().getByKey(job.jobName, job.jobRunCount)
      .select(H.schema.ALL_FIELDS, H.schema.JOB_STEP_SET.select(S.schema.ALL_FIELDS,
        S.schema.JOB_STEP_LOG_INFO_SET.select(L.schema.ALL_FIELDS, L.schema.JOB_LOG_MESSAGE_SET.select(M.schema.ALL_FIELDS))))
      .execute(destination));
    out.header_expanded_url = await H.requestBuilder().getByKey(job.jobName, job.jobRunCount)
      .select(H.schema.ALL_FIELDS, H.schema.JOB_STEP_SET.select(S.schema.ALL_FIELDS)).url(destination);
  }

  // $batch: a read and a change set with JobSchedule (the SDK fetches the token for $batch too).
  out.batch = await attempt(async () => {
    const responses = await appjob.batch(
      T.requestBuilder().getByKey('ZCW_DEMO_NOOP', '0'),
      appjob.changeset(operations.jobSchedule({ jobTemplateName: 'ZCW_DEMO_NOOP', jobText: 'CloudSDK-batch',
                                                jobUser: 'PLANNER' }))).execute(destination);
    return responses.map(r => r.isReadResponse() ? { read: r.httpCode, entities: plain(r.as(T)) }
      : r.isWriteResponses() ? { writes: r.responses.map(w => ({ status: w.httpCode, body: w.body })) }
      : { error: r.httpCode, body: r.body });
  });

  // JobRestart of a failed job (ZCW_DEMO_FAIL fails in step 2): a new run, which fails again.
  out.restart = await attempt(async () => {
    const failed = await operations.jobSchedule({ jobTemplateName: 'ZCW_DEMO_FAIL', jobText: 'CloudSDK-fail',
      jobUser: 'PLANNER' }).execute(destination);
    const first = await waitStatus(failed, ['F', 'A']);
    const again = await operations.jobRestart({ jobName: failed.jobName, jobRunCount: failed.jobRunCount,
      jobRestartMode: 'E' }).execute(destination);
    return { first, again, again_final: await waitStatus(again, ['F', 'A']) };
  });

  // JobCancel: four sleepers fill the four workers, so the fifth job waits (Y) and a cancel removes
  // it (JobStatusGet then answers APJ_RT/003); then the running sleepers are cancelled (C).
  const sleepers = [];
  for (let i = 0; i < 4; i++) {
    sleepers.push(await operations.jobSchedule({
      jobTemplateName: 'ZCW_DEMO_SLEEP', jobText: 'CloudSDK-sleeper', jobUser: 'PLANNER',
      jobParameterValuesSimple: JSON.stringify({ VALUES: [param('P_SECONDS', 30, 1)] })
    }).execute(destination));
  }
  for (const s of sleepers) await waitStatus(s, ['R']);
  out.sleeper_parameters = await attempt(() => operations.jobParamValuesStructGet({ jobName: sleepers[0].jobName,
    jobCount: sleepers[0].jobRunCount }).execute(destination));
  const waiting = await operations.jobSchedule({ jobTemplateName: 'ZCW_DEMO_NOOP', jobText: 'CloudSDK-waiting',
    jobUser: 'PLANNER' }).execute(destination);
  out.waiting_status = await attempt(() => statusOf(waiting).execute(destination));
  out.cancel_waiting = await attempt(() => operations.jobCancel({ jobName: waiting.jobName,
    jobRunCount: waiting.jobRunCount }).execute(destination));
  out.status_after_cancel = await attempt(() => statusOf(waiting).execute(destination));
  out.cancel_running = [];
  for (const s of sleepers) {
    out.cancel_running.push(await attempt(() => operations.jobCancel({ jobName: s.jobName, jobRunCount: s.jobRunCount })
      .execute(destination)));
  }
  out.cancelled = [];
  for (const s of sleepers) out.cancelled.push(await attempt(() => waitStatus(s, ['C'])));

  // Error paths: the SDK reports the Gateway error's message.value.
  out.unknown_job = await attempt(() => operations.jobStatusGet({ jobName: '0'.repeat(32), jobRunCount: '00000000' })
    .execute(destination));
  out.unknown_template = await attempt(() => operations.jobSchedule({ jobTemplateName: 'NO_SUCH_TEMPLATE',
    jobText: 'x', jobUser: 'PLANNER' }).execute(destination));
  out.cancel_unknown = await attempt(() => operations.jobCancel({ jobName: '0'.repeat(32), jobRunCount: '00000000' })
    .execute(destination));
  return out;
}

async function status() {
  const [guid, packageGuid, unknownGuid] = rest;
  const { statusSetApi: api } = extIntegration.extIntegrationSrv();
  const entity = (g, text) => api.entityBuilder().guid(g).extStatus(text).build();
  const out = {};
  // PUT as SAP's Jira connector sends it, then the SDK's default update (PATCH).
  out.put = await attempt(async () => {
    const r = await api.requestBuilder().update(entity(guid, 'Start Development')).replaceWholeEntityWithPut()
      .executeRaw(destination);
    return { status: r.status, data: r.data };
  });
  out.patch = await attempt(() => api.requestBuilder().update(entity(guid, 'In Review')).execute(destination));
  out.unmapped = await attempt(() => api.requestBuilder().update(entity(guid, 'Code Review'))
    .replaceWholeEntityWithPut().execute(destination));
  out.unknown_guid = await attempt(() => api.requestBuilder().update(entity(unknownGuid, 'Start Development'))
    .replaceWholeEntityWithPut().execute(destination));
  out.work_package = await attempt(() => api.requestBuilder().update(entity(packageGuid, 'Start Development'))
    .execute(destination));
  out.read = await attempt(() => api.requestBuilder().getByKey(guid).execute(destination));
  return out;
}

async function logon() {
  const { jobTemplateSetApi: T, operations } = appjob.bcExtAppjobManagement();
  return {
    read: await attempt(() => T.requestBuilder().getAll().execute(destination)),
    schedule: await attempt(() => operations.jobSchedule({ jobTemplateName: 'ZCW_DEMO_NOOP', jobText: 'x',
      jobUser: 'PLANNER' }).execute(destination))
  };
}

({ names, jobs, status, logon })[mode]()
  .then(out => console.log(JSON.stringify(out)))
  .catch(e => { console.error(e && e.stack || e); process.exit(1); });
'''


def cloud_sdk_dir():
    """The SAP Cloud SDK from npm in <build>/e2e-cloud-sdk (kept between runs)."""
    return npm_dir("e2e-cloud-sdk", PACKAGE_JSON, exact={f"@sap-cloud-sdk/{p}": SDK_VERSION for p in SDK_PACKAGES})


def fetch(url, user, password):
    req = urllib.request.Request(url, headers={"Authorization": basic(user, password)})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read()


def sdk_message(failure):
    """The text the SDK made of a Gateway error: '<method> request to <url> failed! <message.value>'."""
    for m in failure["messages"]:
        match = re.match(r"^(?:get|post|put|patch|delete) request to \S+ failed! (.*?)(?:\n|$)", m)
        if match:
            return match.group(1)
    return None


class CloudSdkClients(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not BINARY:
            raise unittest.SkipTest("CAUSEWAY_BIN not set")
        cls.node = shutil.which("node")
        if not cls.node:
            raise AssertionError("node is needed for the SAP Cloud SDK")
        cls.sdk = cloud_sdk_dir()
        cls.tool = subprocess.Popen([sys.executable, TOOL], stdout=subprocess.PIPE, text=True)
        try:
            cls.tool_url = json.loads(cls.tool.stdout.readline())["url"]
            cls.server = Server(extra_users=USERS, extra_config=CONFIG.format(url=cls.tool_url))
        except Exception:
            cls.tool.terminate()
            cls.tool.wait()
            raise
        cls.run_dir = tempfile.mkdtemp(prefix="run-", dir=cls.sdk)
        cls.script = os.path.join(cls.run_dir, "client.js")
        with open(cls.script, "w") as f:
            f.write(CLIENT_SCRIPT)
        cls.outputs = {}
        try:
            cls.generate()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tool.terminate()
        cls.tool.wait()
        shutil.rmtree(cls.run_dir, ignore_errors=True)

    @classmethod
    def generate(cls):
        """$metadata of both services, fetched as a developer does, through the generator (--transpile)."""
        edmx = os.path.join(cls.run_dir, "edmx")
        os.makedirs(edmx)
        cls.metadata = {
            "BC_EXT_APPJOB_MANAGEMENT": fetch(cls.server.base + SERVICE + "$metadata", "JOB_ADMIN", "Welcome1!"),
            "EXT_INTEGRATION_SRV": fetch(cls.server.base + STATUS_SERVICE + "$metadata", "FB_CONNECTOR", "Welcome1!"),
        }
        for name, data in cls.metadata.items():
            with open(os.path.join(edmx, name + ".edmx"), "wb") as f:
                f.write(data)
        cls.gen_dir = os.path.join(cls.run_dir, "generated")
        generator = os.path.join(cls.sdk, "node_modules", ".bin", "generate-odata-client")
        cls.generation = subprocess.run([generator, "-i", edmx, "-o", cls.gen_dir, "--transpile", "--clearOutputDir"],
                                        cwd=cls.run_dir, capture_output=True, text=True, timeout=300)

    def client(self, mode, user, password, *args):
        key = (mode, user, password) + args
        if key not in self.outputs:
            self.assertEqual(self.generation.returncode, 0, "the generator failed")
            p = subprocess.run([self.node, self.script, mode, self.gen_dir, self.server.base, user, password, *args],
                               cwd=self.run_dir, capture_output=True, text=True, timeout=180)
            self.outputs[key] = p
        p = self.outputs[key]
        self.assertEqual(p.returncode, 0, p.stderr[-4000:])
        return json.loads(p.stdout.strip().splitlines()[-1])

    def jobs(self):
        return self.client("jobs", "JOB_ADMIN", "Welcome1!")

    def ok(self, result, what):
        if "ok" not in result:
            e = result["error"]
            self.fail(f"{what}: the SDK failed: HTTP {e['status']} {e['code']}: {sdk_message(e) or e['messages']}")
        return result["ok"]

    def assert_gateway_error(self, result, status, code, text):
        self.assertIn("error", result, f"expected {status} {code}, the SDK got {result.get('ok')}")
        failure = result["error"]
        self.assertEqual((failure["status"], failure["code"]), (status, code), failure)
        self.assertEqual(sdk_message(failure), text, failure["messages"])

    def access_log(self, user, expect, timeout=5):
        """(method, path, status) of `user`'s requests, once `expect` of them are in the access log
        (the server writes it asynchronously), or once `expect(rows)` holds when it is a predicate."""
        end = time.monotonic() + timeout
        while True:
            rows = [(m.group(1), m.group(2), int(m.group(3))) for m in
                    re.finditer(rf'^\S+ \S+ {user} "(\S+) (\S+)" (\d+) ', self.server.read_file("access.log"), re.M)]
            if (expect(rows) if callable(expect) else len(rows) >= expect) or time.monotonic() > end:
                return rows
            time.sleep(0.05)

    # ---- generation -------------------------------------------------------------------------------

    def test_1_generation_from_the_served_metadata(self):
        g = self.generation
        self.assertEqual(g.returncode, 0, g.stdout[-4000:] + g.stderr[-4000:])
        self.assertIn("Generation of services finished successfully", g.stdout + g.stderr)
        self.assertNotRegex(g.stdout + g.stderr, r"ERROR|WARN")
        names = self.client("names", "JOB_ADMIN", "Welcome1!")
        jobs = names["appjob"]
        self.assertEqual(jobs["operations"], sorted([
            "jobSchedule", "jobStatusGet", "jobAbort", "jobCancel", "jobRestart", "jobinfoGet", "jobListGet",
            "jobScheduleCheck", "jobParamValuesGet", "jobParamValuesStructGet", "templateValuesGet",
            "templateValuesStructGet", "jobTemplateRead"]))
        by_set = {s["set"]: s for s in jobs["sets"]}
        for name in ("JobTemplateSet", "JobScheduleStatusCollection", "FuncImpReturnCollection", "JobinfoSet",
                     "JoblistSet", "JobStatusInfoSet", "JobHeaderSet", "JobStepSet", "JobStepLogInfoSet",
                     "JobLogMessageSet"):
            self.assertIn(name, by_set)
        self.assertEqual(by_set["JobTemplateSet"]["keys"], ["JobTemplateName", "JobTemplateVersion"])
        self.assertEqual(by_set["JobHeaderSet"]["keys"], ["JobName", "JobRunCount"])
        # The base path comes from the atom:link rel="self" of the served $metadata.
        self.assertEqual({s["base"] for s in jobs["sets"]}, {SERVICE.rstrip("/")})
        for api in ("jobTemplateSetApi", "jobHeaderSetApi", "jobStatusInfoSetApi", "jobScheduleStatusApi"):
            self.assertIn(api, jobs["apis"])
        ext = names["ext"]
        self.assertEqual(ext["apis"], ["statusSetApi"])
        self.assertEqual(ext["sets"], [{"set": "StatusSet", "base": STATUS_SERVICE.rstrip("/"), "keys": ["Guid"]}])

    # ---- BC_EXT_APPJOB_MANAGEMENT -----------------------------------------------------------------

    def test_2_job_templates(self):
        out = self.jobs()
        templates = self.ok(out["templates"], "JobTemplateSet getAll")
        names = [t["jobTemplateName"] for t in templates]
        for name in ("/IBP/CREATE_TIME_PERIODS", "ZCW_DEMO_CHAIN", "ZCW_DEMO_NOOP", "ZCW_DEMO_SLEEP"):
            self.assertIn(name, names)
        for t in templates:
            self.assertNotIn("$custom", t, "a property the $metadata does not declare")
            self.assertIsInstance(t["creationDateTime"], dict, "Edm.DateTime must become a Moment")
            self.assertIn("$moment", t["creationDateTime"])
            self.assertIsInstance(t["jobTemplateStepCount"], int)
            self.assertIsInstance(t["supportsTestMode"], bool)
        chain = self.ok(out["template"], "JobTemplateSet getByKey")
        self.assertEqual((chain["jobTemplateName"], chain["jobTemplateVersion"], chain["jobTemplateStepCount"]),
                         ("ZCW_DEMO_CHAIN", "0", 3))
        self.assertEqual(chain["creationDateTime"], {"$moment": "2024-01-01T00:00:00.000Z"})
        self.assertEqual(self.ok(out["template_slash"], "getByKey of a key with /")["jobTemplateName"],
                         "/IBP/CREATE_TIME_PERIODS")
        self.assertEqual([(t["jobTemplateName"], t["jobTemplateText"]) for t in self.ok(out["filtered"], "$filter")],
                         [("ZCW_DEMO_NOOP", "Demo: does nothing")])
        self.assertEqual(sorted(self.ok(out["filtered"], "$select")[0]), ["jobTemplateName", "jobTemplateText",
                                                                         "jobTemplateVersion"])
        expected = sorted(names, reverse=True)[1:3]
        self.assertEqual([t["jobTemplateName"] for t in self.ok(out["paged"], "$orderby desc, $skip, $top")], expected)
        self.assertEqual([t["jobTemplateName"] for t in self.ok(out["starts_with"], "startswith()")], ["ZCW_DEMO_SLEEP"])
        after = [t["jobTemplateName"] for t in self.ok(out["created_after"], "datetime'…' with milliseconds")]
        self.assertEqual(after, [t["jobTemplateName"] for t in templates
                                 if t["creationDateTime"]["$moment"] > "2020-01-01T00:00:00.123Z"])
        self.assertEqual(self.ok(out["count"], "$count"), len(templates))
        self.assertEqual(self.ok(out["status_text_de"], "JobStatusInfoSet('C')"),
                         {"jobStatus": "C", "jobStatusText": "Abgebrochen"})

    def test_3_schedule_status_info_list(self):
        out = self.jobs()
        job = self.ok(out["schedule"], "JobSchedule")
        self.assertRegex(job["jobName"], r"^[0-9A-F]{32}$")
        self.assertRegex(job["jobRunCount"], r"^[0-9A-Za-z]{8}$")
        self.assertIn(job["jobStatus"], ("Y", "R", "S"))
        self.assertEqual(job["returnCode"], 0)
        final = self.ok(out["final_status"], "JobStatusGet")
        self.assertEqual(final, dict(job, jobStatus="F"))

        steps = self.ok(out["jobinfo"], "JobinfoGet")
        self.assertEqual([s["stepCount"] for s in steps], [1, 2, 3])
        started = out["started"]
        for s in steps:
            self.assertEqual((s["jobName"], s["jobRunCount"], s["jobStatus"], s["stepStatus"], s["jobAppRc"]),
                             (job["jobName"], job["jobRunCount"], "F", "F", 0))
            for field in ("jobSdlDateTime", "jobStartDateTime", "jobEndDateTime", "stepStartDateTime"):
                self.assertIsInstance(s[field], dict, f"{field} must be a Moment")
                self.assertIn("$moment", s[field])
                # The same clock: within a minute of the client's start (the job ran right away).
                self.assertLess(abs(iso_seconds(s[field]["$moment"]) - iso_seconds(started)), 60, (field, s[field], started))
            self.assertLessEqual(s["jobStartDateTime"]["$moment"], s["jobEndDateTime"]["$moment"])

        rows = self.ok(out["joblist"], "JobListGet")
        self.assertEqual([(r["jobName"], r["jobRunCount"]) for r in rows], [(job["jobName"], job["jobRunCount"])])
        row = rows[0]
        self.assertEqual((row["jobText"], row["templateName"], row["jobCreator"], row["nrSteps"], row["jobStatus"]),
                         ("CloudSDK-chain", "ZCW_DEMO_CHAIN", "JOB_ADMIN", 3, "F"))
        self.assertIn("$moment", row["jobCreaDateTime"])

        latest = self.ok(out["latest_header"], "JobHeaderSet $filter/$orderby/$top")
        self.assertEqual([(h["jobName"], h["jobStepCount"]) for h in latest], [(job["jobName"], 3)])
        self.assertRegex(latest[0]["jobPlannedStartDateTime"], r"^\d{14}\.\d{7}$")

    def test_4_header_with_steps_logs_and_messages_expanded(self):
        # The SDK expands only through $select paths on the navigation links
        # (`$select=*,JobStepSet/*,…&$expand=JobStepSet,…`, MS-ODATA 2.2.3.6.1.11); the server
        # answered 400 "Property '*' in $select does not exist" until odata/select.* took them.
        out = self.jobs()
        job = self.ok(out["schedule"], "JobSchedule")
        self.assertIn("$select=*,JobStepSet/*&$expand=JobStepSet", out["header_expanded_url"])
        header = self.ok(out["header_expanded"], "JobHeaderSet getByKey with steps, logs and messages ("
                         + out["header_expanded_url"] + ")")
        self.assertEqual((header["jobName"], header["jobTemplateName"], header["jobStatus"]),
                         (job["jobName"], "ZCW_DEMO_CHAIN", "F"))
        self.assertEqual([s["stepNumber"] for s in header["jobStepSet"]], [1, 2, 3])
        for step in header["jobStepSet"]:
            self.assertEqual(step["stepStatus"], "F")
            self.assertLessEqual(len(step["jobStepLogInfoSet"]), 1)
            for log in step["jobStepLogInfoSet"]:
                self.assertEqual(len(log["jobLogMessageSet"]), log["msgCntAll"])
        self.assertTrue(any(s["jobStepLogInfoSet"] for s in header["jobStepSet"]))

    def test_5_batch_with_a_change_set(self):
        out = self.jobs()
        read, changes = self.ok(out["batch"], "$batch")
        self.assertEqual(read["read"], 200)
        self.assertEqual([t["jobTemplateName"] for t in read["entities"]], ["ZCW_DEMO_NOOP"])
        self.assertEqual(len(changes["writes"]), 1)
        write = changes["writes"][0]
        self.assertEqual(write["status"], 200)
        scheduled = write["body"]["d"]
        self.assertRegex(scheduled["JobName"], r"^[0-9A-F]{32}$")
        self.assertEqual(scheduled["ReturnCode"], 0)

    def test_6_restart_and_cancel(self):
        out = self.jobs()
        restart = self.ok(out["restart"], "JobRestart")
        self.assertEqual(restart["first"]["jobStatus"], "A")
        again = restart["again"]
        self.assertNotEqual((again["jobName"], again["jobRunCount"]),
                            (restart["first"]["jobName"], restart["first"]["jobRunCount"]))
        self.assertEqual((again["returnCode"], restart["again_final"]["jobStatus"]), (0, "A"))

        # The parameters went as raw JSON in the query (the SDK does not encode them) and arrived.
        params = self.ok(out["sleeper_parameters"], "JobParamValuesStructGet")
        self.assertEqual([(p["stepNr"], p["jobParameterName"], p["low"]) for p in params], [(1, "P_SECONDS", "30")])
        self.assertEqual(self.ok(out["waiting_status"], "JobStatusGet of the waiting job")["jobStatus"], "Y")
        self.assertEqual(self.ok(out["cancel_waiting"], "JobCancel of a waiting job"), {"returnCode": 0})
        self.assert_gateway_error(out["status_after_cancel"], 400, "APJ_RT/003", "Job doesn't exist.")
        for result in out["cancel_running"]:
            self.assertEqual(self.ok(result, "JobCancel of a running job"), {"returnCode": 0})
        self.assertEqual([self.ok(r, "status after cancel")["jobStatus"] for r in out["cancelled"]], ["C"] * 4)

    def test_7_gateway_errors_reach_the_sdk(self):
        out = self.jobs()
        self.assert_gateway_error(out["unknown_job"], 400, "APJ_RT/003", "Job doesn't exist.")
        self.assert_gateway_error(out["unknown_template"], 400, "APJ_RT/015", "Job template NO_SUCH_TEMPLATE doesn't exist.")
        self.assert_gateway_error(out["cancel_unknown"], 400, "APJ_RT/039", "Job couldn't be canceled: Job does not exist.")

    def test_8_csrf_fetched_by_the_sdk(self):
        """Every modifying call went through on the SDK's own token fetch: a HEAD with `X-CSRF-Token:
        Fetch` on the request URL plus '/' (Gateway answers 405 there, with the token and the session
        cookie, which the SDK takes from the error answer), and never a 403."""
        self.jobs()
        root = SERVICE
        wanted = {"JobSchedule", "JobRestart", "JobCancel", "$batch"}

        def posted(rows):
            return {p.split("?")[0][len(root):] for m, p, st in rows if m == "POST" and st in (200, 202)}

        # Until the run's last calls (the cancels) are logged too.
        rows = self.access_log("JOB_ADMIN", lambda rows: posted(rows) >= wanted)
        self.assertNotIn(403, [st for _, _, st in rows], rows)
        for i, (method, path, st) in enumerate(rows):
            if method == "POST":
                self.assertGreater(i, 0)
                head = rows[i - 1]
                self.assertEqual((head[0], head[1]), ("HEAD", path.split("?")[0] + "/"), rows[i - 1:i + 1])
                self.assertIn(st, (200, 202, 400), (method, path, st))
        self.assertEqual(posted(rows), wanted)

    def test_9_wrong_password_is_401(self):
        out = self.client("logon", "LOCKME", "not the password")
        for what in ("read", "schedule"):
            self.assertIn("error", out[what], out[what])
            failure = out[what]["error"]
            self.assertEqual(failure["status"], 401, failure)
            self.assertEqual(failure["www_authenticate"], 'Basic realm="SAP NetWeaver Application Server [CWY/100]"')

    # ---- EXT_INTEGRATION_SRV ----------------------------------------------------------------------

    def control(self, method, path, doc=None):
        body = json.dumps(doc) if doc is not None else None
        headers = dict(ADMIN, **({"Content-Type": "application/json"} if body else {}))
        st, _, data = self.server.request(method, "/_causeway/fb/" + path, headers, body)
        self.assertIn(st, (200, 201), data)
        return json.loads(data)

    def handed_over_item(self):
        """A work package and its work item handed over to the stand-in tool (tests/support/fb_tool.py);
        the TICKET_GUID is the one the tool received in the create push, as a connector keeps it."""
        team = [{"function": "/SALM/09", "partner_no": "4000"}]
        wp = self.control("POST", "objects", {"process_type": "S1IT", "description": "CloudSDK package",
                                              "project": "ST_OST_SP2", "partners": team})["object"]
        item = self.control("POST", "objects", {"process_type": "S1CG", "description": "CloudSDK item",
                                                "package": wp["guid"], "partners": team})["object"]
        self.control("POST", f"objects/{wp['guid']}/actions/S1_CALL_EXT")
        with urllib.request.urlopen(self.tool_url + "/_tool/wait?issues=2&timeout=20", timeout=30) as r:
            self.assertEqual(r.status, 200)
        with urllib.request.urlopen(self.tool_url + "/_tool/state", timeout=30) as r:
            state = json.loads(r.read())
        self.assertEqual([(q["answer"], q["problems"]) for q in state["requests"]], [(201, []), (201, [])])
        issues = {i["process_type"]: i for i in state["issues"]}
        self.assertEqual(issues["S1CG"]["ticket_id"], item["ticket_id"])
        return wp, item, issues["S1CG"]["ticket_guid"]

    def test_status_update_the_connector_way(self):
        wp, item, guid = self.handed_over_item()
        self.assertEqual(guid, item["guid"])
        unknown = "0" * 32
        out = self.client("status", "FB_CONNECTOR", "Welcome1!", guid, wp["guid"], unknown)
        self.assertEqual(self.ok(out["put"], "PUT StatusSet"), {"status": 204, "data": ""})
        self.assertEqual(self.ok(out["patch"], "PATCH StatusSet"), {"guid": guid, "extStatus": "In Review"})
        ticket = item["ticket_id"]
        self.assert_gateway_error(out["unmapped"], 500, "/SALM/EXT_INTEG/003",
                                  f"Status mapping for ext. status Code Review is not existing for ticket {ticket}.")
        self.assert_gateway_error(out["unknown_guid"], 500, "CAUSEWAY/FB/101", f"Ticket with GUID {unknown} does not exist")
        self.assertEqual(out["work_package"]["error"]["code"], "CAUSEWAY/FB/104", out["work_package"])
        self.assert_gateway_error(out["read"], 501, "/IWBEP/CM_MGW_RT/021",
                                  "Method 'STATUSSET_GET_ENTITY' not implemented in data provider class")

        shown = self.control("GET", f"objects/{guid}")["object"]
        self.assertEqual((shown["status"], shown["last_external_status"]), ("E0003", "In Review"))
        history = self.control("GET", f"objects/{guid}/history")["history"]
        self.assertEqual([(h["from"], h["to"], h["origin"], h["external_status"], h["changed_by"]) for h in history[-2:]],
                         [("E0001", "E0002", "inbound", "Start Development", "FB_CONNECTOR"),
                          ("E0002", "E0003", "inbound", "In Review", "FB_CONNECTOR")])
        def status_rows(rows):
            return [r for r in rows if "StatusSet" in r[1]]

        rows = status_rows(self.access_log("FB_CONNECTOR", lambda rows: len(status_rows(rows)) >= 4))
        entity = f"{STATUS_SERVICE}StatusSet(Guid='{guid}')"
        self.assertEqual([(m, p) for m, p, _ in rows[:4]], [("HEAD", entity + "/"), ("PUT", entity),
                                                           ("HEAD", entity + "/"), ("PATCH", entity)])
        self.assertEqual([rows[1][2], rows[3][2]], [204, 204])
        self.assertNotIn(403, [st for _, _, st in rows])


def iso_seconds(text):
    return calendar.timegm(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S"))


if __name__ == "__main__":
    unittest.main()
