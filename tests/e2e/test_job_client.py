"""The scheduler client `causeway job …` against the real server.

Every case runs the real binary (CAUSEWAY_BIN) as a subprocess, exactly as Control-M or cron
would, asserts the documented exit code (src/client/README.md) and then asks the server itself
(harness.ODataSession) what happened to the job.
"""
import datetime
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest

from harness import BINARY, SERVICE, Server, ODataSession, basic

# Exit codes, src/client/README.md.
FINISHED, FAILED, CANCELLED, TIMED_OUT, CONNECTION, AUTH, REJECTED, SIGTERM_EXIT = 0, 4, 5, 6, 7, 8, 10, 143

PENDING = ("Y", "S", "P", "R", "c")

# A command step that writes its shell's pid (kept by exec) to the file named by P_PIDFILE.
PID_TEMPLATE = """
[[jobs.templates]]
name = "ZCW_E2E_PID"
text = "E2E: long command that reports its pid"
steps = [{ kind = "command", argv = ["/bin/sh", "-c", "echo $$ > \\"$CW_PARAM_P_PIDFILE\\"; exec sleep 300"] }]
parameters = [{ name = "P_PIDFILE", step = 1, mandatory = true }]
"""


def wait_for(condition, what, timeout=30, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting for " + what)


def process_gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def read_pid(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None


class ClientCase(unittest.TestCase):
    """Runs the client against `self.server` with the logon user in the environment."""

    def env(self, server, user="JOB_SCHEDULER", password="Welcome1!"):
        return dict(os.environ, CAUSEWAY_URL=server.base + SERVICE.rstrip("/"), CAUSEWAY_USER=user,
                    CAUSEWAY_PASSWORD=password)

    def job(self, *args, server=None, timeout=60, **env_kw):
        server = server or self.server
        env = self.env(server, **env_kw)
        return subprocess.run([BINARY, "job", *args], env=env, capture_output=True, text=True,
                              timeout=timeout)

    def start_job(self, *args, server=None, stderr_path=None, **env_kw):
        server = server or self.server
        env = self.env(server, **env_kw)
        err = open(stderr_path, "w") if stderr_path else subprocess.PIPE
        p = subprocess.Popen([BINARY, "job", *args], env=env, stdout=subprocess.PIPE, stderr=err,
                             text=True)
        if stderr_path:
            err.close()
        return p

    @staticmethod
    def reap(proc):
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream and not stream.closed:
                stream.close()

    def finish(self, proc, timeout=60):
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            self.fail(f"client did not exit: {out} {err}")
        return proc.returncode, out, err or ""

    def odata(self, server=None):
        return ODataSession(server or self.server, user="JOB_ADMIN")

    def assert_exit(self, result, code):
        self.assertEqual(result.returncode, code, f"stdout: {result.stdout}\nstderr: {result.stderr}")

    def pid_file(self):
        d = tempfile.mkdtemp(prefix="cw-client-e2e-")
        self.addCleanup(lambda: __import__("shutil").rmtree(d, ignore_errors=True))
        return os.path.join(d, "pid")

    def kill_leftover(self, path):
        pid = read_pid(path)
        if pid and not process_gone(pid):
            os.kill(pid, signal.SIGKILL)


class JobClientAgainstServer(ClientCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_config=PID_TEMPLATE)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    # --- job run: outcomes -------------------------------------------------------------------

    def run_json(self, *args):
        r = self.job("run", "--user", "PLANNER", "--poll", "200ms", "--timeout", "60s", "--json", *args)
        return r, json.loads(r.stdout) if r.stdout.strip() else None

    def test_run_finishing_template_exits_0(self):
        r, summary = self.run_json("--template", "ZCW_DEMO_NOOP", "--text", "e2e finish")
        self.assert_exit(r, FINISHED)
        self.assertEqual(summary["status"], "F")
        self.assertEqual(summary["exit_reason"], "finished")
        st, status = self.odata().status(summary["job_name"], summary["job_run_count"])
        self.assertEqual((st, status), (200, "F"))

    def test_run_failing_template_exits_4(self):
        r, summary = self.run_json("--template", "ZCW_DEMO_FAIL")
        self.assert_exit(r, FAILED)
        self.assertEqual(summary["exit_reason"], "failed")
        # Why it failed: the job's log, step by step, on stderr.
        self.assertIn("job log of " + summary["job_name"], r.stderr)
        self.assertRegex(r.stderr, r"step 2 [EA] ")
        self.assertEqual(self.odata().status(summary["job_name"], summary["job_run_count"]), (200, "A"))
        self.assertEqual([s["status"] for s in summary["steps"]][:2], ["F", "A"])

    def test_run_chain_lists_three_steps(self):
        r, summary = self.run_json("--template", "ZCW_DEMO_CHAIN", "--param", "2:P_SECONDS=1")
        self.assert_exit(r, FINISHED)
        self.assertEqual([s["step"] for s in summary["steps"]], [1, 2, 3])
        self.assertEqual([s["status"] for s in summary["steps"]], ["F", "F", "F"])
        self.assertTrue(summary["job_start"] and summary["job_end"])
        self.assertEqual(self.odata().status(summary["job_name"], summary["job_run_count"]), (200, "F"))

    def test_run_unknown_template_is_rejected(self):
        r = self.job("run", "--template", "ZCW_NO_SUCH", "--user", "PLANNER", "--poll", "200ms")
        self.assert_exit(r, REJECTED)
        self.assertIn("APJ_RT/", r.stderr)

    # --- job run: cancellation -----------------------------------------------------------------

    def test_sigterm_cancels_remote_job_and_kills_its_process(self):
        path = self.pid_file()
        self.addCleanup(self.kill_leftover, path)
        p = self.start_job("run", "--template", "ZCW_E2E_PID", "--user", "PLANNER", "--poll", "200ms",
                           "--json", "--param", "P_PIDFILE=" + path, "--cancel-wait", "20s")
        pid = wait_for(lambda: read_pid(path), "the job's pid file")
        p.send_signal(signal.SIGTERM)
        code, out, err = self.finish(p)
        self.assertEqual(code, SIGTERM_EXIT, err)
        summary = json.loads(out)
        self.assertEqual(summary["signal"], signal.SIGTERM)
        self.assertTrue(summary["cancel_requested"])
        self.assertTrue(summary["cancel_confirmed"], summary)
        self.assertEqual(self.odata().status(summary["job_name"], summary["job_run_count"]), (200, "C"))
        wait_for(lambda: process_gone(pid), f"process {pid} to end", timeout=10)

    def test_timeout_cancels(self):
        path = self.pid_file()
        self.addCleanup(self.kill_leftover, path)
        r = self.job("run", "--template", "ZCW_E2E_PID", "--user", "PLANNER", "--poll", "200ms", "--json",
                     "--param", "P_PIDFILE=" + path, "--timeout", "1s", "--cancel-wait", "20s")
        self.assert_exit(r, TIMED_OUT)
        summary = json.loads(r.stdout)
        self.assertTrue(summary["cancel_confirmed"], summary)
        self.assertEqual(self.odata().status(summary["job_name"], summary["job_run_count"]), (200, "C"))
        pid = read_pid(path)
        if pid:
            wait_for(lambda: process_gone(pid), f"process {pid} to end", timeout=10)

    def test_timeout_leave_keeps_job_running(self):
        path = self.pid_file()
        self.addCleanup(self.kill_leftover, path)
        r = self.job("run", "--template", "ZCW_E2E_PID", "--user", "PLANNER", "--poll", "200ms", "--json",
                     "--param", "P_PIDFILE=" + path, "--timeout", "1s", "--on-timeout", "leave")
        self.assert_exit(r, TIMED_OUT)
        summary = json.loads(r.stdout)
        self.assertFalse(summary["cancel_requested"])
        name, count = summary["job_name"], summary["job_run_count"]
        session = self.odata()
        self.assertEqual(session.status(name, count), (200, "R"))
        c = self.job("cancel", name, count)
        self.assert_exit(c, FINISHED)
        self.assertEqual(session.wait_status(name, count, ("C",)), "C")

    # --- auth ------------------------------------------------------------------------------------

    def test_locked_user_gets_auth_exit_code_and_no_job(self):
        st, _, body = self.server.request("POST", "/_causeway/users/LOCKME/lock",
                                          {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")})
        self.assertEqual(st, 200, body)
        self.addCleanup(lambda: self.server.request("POST", "/_causeway/users/LOCKME/unlock",
                                                    {"Authorization": basic("CAUSEWAY_ADMIN", "Admin1!")}))
        r = self.job("templates", user="LOCKME")
        self.assert_exit(r, AUTH)
        self.assertIn("401", r.stderr)
        text = "e2e locked " + str(time.time_ns())
        r = self.job("run", "--template", "ZCW_DEMO_NOOP", "--user", "PLANNER", "--text", text, "--poll", "200ms",
                     user="LOCKME")
        self.assert_exit(r, AUTH)
        self.assertEqual(self.list_jobs(text=text), [])

    def test_wrong_password_gets_auth_exit_code(self):
        r = self.job("status", "00000000000000000000000000000000", "00000000", password="nope")
        self.assert_exit(r, AUTH)

    # --- the one-shot commands ----------------------------------------------------------------

    def list_jobs(self, **filters):
        now = datetime.datetime.now(datetime.timezone.utc)
        args = ["list", "--json", "--from", (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                "--to", (now + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")]
        for k, v in filters.items():
            args += ["--" + k.replace("_", "-"), v]
        r = self.job(*args)
        self.assert_exit(r, FINISHED)
        return json.loads(r.stdout)

    def schedule(self, template, *extra):
        r = self.job("schedule", "--template", template, "--user", "PLANNER", "--json", *extra)
        self.assert_exit(r, FINISHED)
        doc = json.loads(r.stdout)
        return doc["JobName"], doc["JobRunCount"]

    def test_templates(self):
        r = self.job("templates", "--json")
        self.assert_exit(r, FINISHED)
        names = {t["JobTemplateName"]: t for t in json.loads(r.stdout)}
        for n in ("ZCW_DEMO_NOOP", "ZCW_DEMO_FAIL", "ZCW_DEMO_CHAIN", "ZCW_E2E_PID", "/IBP/CREATE_TIME_PERIODS"):
            self.assertIn(n, names)
        self.assertEqual(names["ZCW_DEMO_CHAIN"]["JobTemplateStepCount"], "3")
        r = self.job("templates", "--text", "three-step")
        self.assert_exit(r, FINISHED)
        self.assertEqual(r.stdout.split("\t")[0], "ZCW_DEMO_CHAIN")
        self.assertEqual(len(r.stdout.strip().splitlines()), 1)

    def test_https_with_the_servers_own_certificate(self):
        """Over https the server's certificate is trusted with --ca-bundle (or --cacert, as the
        control-plane commands and curl spell it), or not checked with --insecure; untrusted, the
        client exits with its connection code."""
        url = self.server.tls_base + SERVICE.rstrip("/")
        cert = os.path.join(self.server.dir, "tls", "cert.pem")
        for extra in (["--ca-bundle", cert], ["--cacert", cert], ["--insecure"]):
            r = self.job("templates", "--url", url, *extra)
            self.assert_exit(r, FINISHED)
            self.assertIn("ZCW_DEMO_NOOP", r.stdout)
        r = self.job("templates", "--url", url)
        self.assert_exit(r, CONNECTION)

    def test_template_text_selects_template(self):
        r = self.job("schedule", "--template-text", "Demo: does nothing", "--user", "PLANNER", "--json")
        self.assert_exit(r, FINISHED)
        doc = json.loads(r.stdout)
        self.assertEqual(self.odata().wait_status(doc["JobName"], doc["JobRunCount"], ("F",)), "F")

    def test_schedule_then_status_and_info(self):
        name, count = self.schedule("ZCW_DEMO_NOOP")
        session = self.odata()
        self.assertEqual(session.wait_status(name, count, ("F",)), "F")
        r = self.job("status", name, count)
        self.assert_exit(r, FINISHED)
        self.assertEqual(r.stdout, "JobStatus=F\nJobStatusText=Finished\n")
        r = self.job("status", name, count, "--json")
        self.assertEqual(json.loads(r.stdout), {"JobName": name, "JobRunCount": count, "JobStatus": "F",
                                                "JobStatusText": "Finished"})
        r = self.job("info", name, count, "--json")
        self.assert_exit(r, FINISHED)
        info = json.loads(r.stdout)
        self.assertEqual(info["JobStatus"], "F")
        self.assertEqual([(s["StepCount"], s["StepStatus"]) for s in info["steps"]], [(1, "F")])
        self.assertTrue(info["JobStartDateTime"].endswith("Z"), info)
        r = self.job("info", name, count)
        self.assert_exit(r, FINISHED)
        self.assertIn("JobStatus=F (Finished)", r.stdout)

    def test_status_of_unknown_job_is_rejected(self):
        r = self.job("status", "00000000000000000000000000000000", "00000000")
        self.assert_exit(r, REJECTED)
        self.assertIn("APJ_RT/", r.stderr)

    def test_list_finds_scheduled_job(self):
        text = "e2e list " + str(time.time_ns())
        name, count = self.schedule("ZCW_DEMO_NOOP", "--text", text)
        self.odata().wait_status(name, count, ("F",))
        jobs = self.list_jobs(text=text)
        self.assertEqual([(j["JobName"], j["JobRunCount"], j["TemplateName"]) for j in jobs],
                         [(name, count, "ZCW_DEMO_NOOP")])
        self.assertEqual(jobs[0]["JobStatus"], "F")
        self.assertIn(name, [j["JobName"] for j in self.list_jobs(template="ZCW_DEMO_NOOP")])
        self.assertEqual(self.list_jobs(job_name=name)[0]["JobText"], text)
        # A window in the past holds nothing of this job.
        r = self.job("list", "--from", "2001-01-01", "--to", "2001-01-02", "--job-name", name)
        self.assert_exit(r, FINISHED)
        self.assertEqual(r.stdout, "")
        r = self.job("list", "--from", "yesterday", "--to", "2001-01-02")
        self.assert_exit(r, 2)

    def test_cancel(self):
        path = self.pid_file()
        self.addCleanup(self.kill_leftover, path)
        name, count = self.schedule("ZCW_E2E_PID", "--param", "P_PIDFILE=" + path)
        pid = wait_for(lambda: read_pid(path), "the job's pid file")
        r = self.job("cancel", name, count)
        self.assert_exit(r, FINISHED)
        self.assertIn(f"cancel requested for {name}/{count}", r.stdout)
        self.assertEqual(self.odata().wait_status(name, count, ("C",)), "C")
        wait_for(lambda: process_gone(pid), f"process {pid} to end", timeout=10)

    def test_abort(self):
        path = self.pid_file()
        self.addCleanup(self.kill_leftover, path)
        name, count = self.schedule("ZCW_E2E_PID", "--param", "P_PIDFILE=" + path)
        pid = wait_for(lambda: read_pid(path), "the job's pid file")
        r = self.job("abort", name, count)
        self.assert_exit(r, FINISHED)
        self.assertIn(f"abort requested for {name}/{count}", r.stdout)
        # Spec §1.4.3: JobCancel of a running job "is cancelled like JobAbort": both end in C.
        self.assertEqual(self.odata().wait_status(name, count, ("A", "C")), "C")
        wait_for(lambda: process_gone(pid), f"process {pid} to end", timeout=10)

    def test_restart_failed_job_creates_new_job(self):
        name, count = self.schedule("ZCW_DEMO_FAIL")
        session = self.odata()
        self.assertEqual(session.wait_status(name, count, ("A",)), "A")
        r = self.job("restart", name, count, "--mode", "E", "--json")
        self.assert_exit(r, FINISHED)
        new = json.loads(r.stdout)
        self.assertNotEqual((new["JobName"], new["JobRunCount"]), (name, count))
        st, status = session.status(new["JobName"], new["JobRunCount"])
        self.assertEqual(st, 200, status)
        # From the failed step: step 2 fails again.
        self.assertEqual(session.wait_status(new["JobName"], new["JobRunCount"], ("A", "F")), "A")
        self.assertEqual(session.status(name, count), (200, "A"))

    def test_cancel_unknown_job_is_rejected(self):
        r = self.job("cancel", "00000000000000000000000000000000", "00000000")
        self.assert_exit(r, REJECTED)


class TokenExpiry(ClientCase):
    """The session (and its CSRF token) expires while `job run` waits; the cancel at the timeout
    must re-fetch a token and still go through."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(idle=1, extra_config=PID_TEMPLATE)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_cancel_after_session_expiry_refetches_token(self):
        path = self.pid_file()
        self.addCleanup(self.kill_leftover, path)
        # Polls grow ×1.6 from 200 ms to 3 s (±20%), restarting when the status changes; by 9 s
        # they are over 2.4 s apart, longer than the 1 s idle timeout: the session of the token
        # fetched for JobSchedule has ended by the time JobCancel is sent. (A session is idle from
        # its last use: polls closer together than the idle timeout keep it alive.)
        r = self.job("run", "--template", "ZCW_E2E_PID", "--user", "PLANNER", "--poll", "3s", "--json", "-v",
                     "--param", "P_PIDFILE=" + path, "--timeout", "9000ms", "--cancel-wait", "20s")
        self.assert_exit(r, TIMED_OUT)
        summary = json.loads(r.stdout)
        self.assertTrue(summary["cancel_confirmed"], summary)
        self.assertEqual(self.odata().status(summary["job_name"], summary["job_run_count"]), (200, "C"))
        trace = [line for line in r.stderr.splitlines() if line.startswith("[http] ")]
        cancels = [i for i, line in enumerate(trace) if line.startswith("[http] POST ") and "JobCancel" in line]
        self.assertTrue(cancels, r.stderr)
        self.assertIn("-> HTTP 403", trace[cancels[0]], r.stderr)
        self.assertTrue(trace[cancels[0] + 1].startswith("[http] HEAD "), r.stderr)
        self.assertIn("-> HTTP 200", trace[cancels[-1]], r.stderr)


class LostConnection(ClientCase):
    """kill -9 of the server while `job run` polls, restart on the same ports.

    The job is an in-process `sleep` step: a `command` step's process inherits the server's
    listening sockets and would keep the port open (and unanswered) after the kill -9."""

    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.close)

    def run_until_outage(self, *extra):
        err_path = os.path.join(self.server.dir, "client.stderr")
        text = "e2e lost " + str(time.time_ns())
        p = self.start_job("run", "--template", "ZCW_DEMO_SLEEP", "--user", "PLANNER", "--text", text,
                           "--poll", "200ms", "--json", "-v", "--param", "P_SECONDS=300", *extra,
                           stderr_path=err_path)
        self.addCleanup(self.reap, p)
        session = self.odata()

        def running():
            with open(err_path) as f:
                m = re.search(r"scheduled job (\w+)/(\w+) ", f.read())
            return m and session.status(m.group(1), m.group(2)) == (200, "R")
        wait_for(running, "the job to run")
        self.server.kill9()

        def saw_outage():
            with open(err_path) as f:
                return "failed: " in f.read()
        wait_for(saw_outage, "the client to notice the outage")
        return p, err_path

    def test_client_survives_server_restart_and_reports_recovered_job(self):
        p, err_path = self.run_until_outage()

        def poll_loop_noticed():  # the session's own GET retries (0.5+1+2 s) are used up
            with open(err_path) as f:
                return "cannot read the status of job" in f.read()
        wait_for(poll_loop_noticed, "the client to report the unreadable status")
        self.assertIsNone(p.poll())
        self.server.restart()
        code, out, _ = self.finish(p)
        with open(err_path) as f:
            err = f.read()
        # Recovery marks the job of the killed server failed; the client, still waiting, says so.
        self.assertEqual(code, FAILED, err)
        summary = json.loads(out)
        self.assertEqual(summary["status"], "A")
        self.assertIn("readable again", err)
        self.assertEqual(self.odata().status(summary["job_name"], summary["job_run_count"]), (200, "A"))

    def test_client_gives_up_with_connection_code_after_lost_wait(self):
        p, err_path = self.run_until_outage("--lost-wait", "1s")
        code, out, _ = self.finish(p)
        with open(err_path) as f:
            err = f.read()
        self.assertEqual(code, CONNECTION, err)
        summary = json.loads(out)
        self.assertEqual(summary["exit_reason"], "connection_error")
        self.assertIn("lost track of job", summary["message"])
        self.server.restart()
        self.assertEqual(self.odata().wait_status(summary["job_name"], summary["job_run_count"], ("A",)), "A")


class HangingGateway:
    """A Gateway imitation that schedules, reports R and never answers JobCancel: what a client
    meets when the server stops answering in the middle of a cancel."""

    def __init__(self):
        import http.server
        import threading

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self, body=b"", status=200, headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_HEAD(self):
                self.answer(headers=[("x-csrf-token", "T0KEN"), ("set-cookie", "SAP_SESSIONID_X=1; path=/")])

            def do_GET(self):
                status = {"JobName": "HANG", "JobRunCount": "1", "JobStatus": "R", "ReturnCode": 0}
                self.answer(json.dumps({"d": status}).encode())

            def do_POST(self):
                if "JobCancel" in self.path:
                    time.sleep(30)  # never answered in time
                    return
                self.answer(json.dumps({"d": {"JobName": "HANG", "JobRunCount": "1", "JobStatus": "R",
                                              "ReturnCode": 0}}).encode())

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Signals(unittest.TestCase):
    """The scheduler's kill: a SIGTERM starts the cancel; a second signal, of either kind, ends the
    client at once even while the cancel hangs."""

    def test_sigint_after_sigterm_kills_while_the_cancel_hangs(self):
        gateway = HangingGateway()
        self.addCleanup(gateway.close)
        env = dict(os.environ, CAUSEWAY_URL=gateway.url, CAUSEWAY_USER="U", CAUSEWAY_PASSWORD="pw")
        p = subprocess.Popen([BINARY, "job", "run", "--template", "T", "--user", "B", "--poll", "100ms",
                              "--cancel-wait", "60s"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        err = []

        def saw(text):
            line = p.stderr.readline()
            err.append(line)
            return text in line

        wait_for(lambda: saw("scheduled job HANG/1"), "the job to be scheduled", timeout=20, interval=0)
        p.send_signal(signal.SIGTERM)
        wait_for(lambda: saw("cancelling job"), "the cancel to start", timeout=20, interval=0)
        time.sleep(0.3)  # the JobCancel is on its way and will not be answered
        p.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = p.wait(timeout=20)
        self.assertEqual(code, -signal.SIGINT, "".join(err))
        self.assertLess(time.monotonic() - started, 5)


class ShellScript(unittest.TestCase):
    """tests/e2e/job_client_e2e.sh, the copy-paste check for any server, run against Causeway."""

    def test_job_client_e2e_sh(self):
        server = Server(extra_config="""
[[jobs.templates]]
name = "ZCW_E2E_LONG"
text = "E2E: long sleep"
steps = [{ kind = "sleep" }]
parameters = [{ name = "P_SECONDS", step = 1, default = "300" }]
""")
        self.addCleanup(server.close)
        env = dict(os.environ, CAUSEWAY_URL=server.base + SERVICE.rstrip("/"), CAUSEWAY_USER="JOB_SCHEDULER",
                   CAUSEWAY_PASSWORD="Welcome1!", CAUSEWAY_BIN=BINARY, E2E_JOB_USER="PLANNER",
                   E2E_TPL_FINISH="ZCW_DEMO_NOOP", E2E_TPL_FAIL="ZCW_DEMO_FAIL", E2E_TPL_LONG="ZCW_E2E_LONG")
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "job_client_e2e.sh")
        r = subprocess.run(["bash", script], env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 failure(s)", r.stdout)
        self.assertNotIn("FAIL", r.stdout)


if __name__ == "__main__":
    unittest.main()
