"""BC_EXT_APPJOB_MANAGEMENT end to end: the seed's curl script, JSON flows, every APJ_RT error
path, real process cancellation, and durability across kill -9."""
import json
import os
import re
import subprocess
import tempfile
import time
import unittest

from harness import SERVICE, ODataSession, Server, basic

HERE = os.path.dirname(os.path.abspath(__file__))

LONG_COMMAND = """
[[jobs.templates]]
name = "ZE2E_LONG_COMMAND"
text = "e2e: long running command"
[[jobs.templates.steps]]
kind = "command"
text = "sleep in a shell"
argv = ["/bin/sh", "-c", "echo $$ > \\"$CW_PARAM_P_PIDFILE\\"; exec sleep 300"]
[[jobs.templates.parameters]]
name = "P_PIDFILE"
step = 1
default = "/dev/null"
"""


FAMILY_COMMAND = """
[[jobs.templates]]
name = "ZE2E_FAMILY"
text = "e2e: a shell with a background child, deaf to SIGTERM"
[[jobs.templates.steps]]
kind = "command"
text = "sleep in the background"
argv = ["/bin/sh", "-c", "trap '' TERM; sleep 300 & echo $! > \\"$CW_PARAM_P_PIDFILE.tmp\\"; mv \\"$CW_PARAM_P_PIDFILE.tmp\\" \\"$CW_PARAM_P_PIDFILE\\"; wait"]
[[jobs.templates.parameters]]
name = "P_PIDFILE"
step = 1
default = "/dev/null"
"""


def pid_alive(pid):
    """True while `pid` runs; a zombie (dead, not yet reaped by whoever adopted it) is not alive."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def param(name, value, step=1):
    return {"STEP_NR": step, "NAME": name, "T_VALUE": [{"SIGN": "I", "OPTION": "EQ", "LOW": str(value), "HIGH": ""}]}


class Jobs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_config=LONG_COMMAND)
        cls.admin = ODataSession(cls.server, "JOB_ADMIN")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    @staticmethod
    def read(path):
        try:
            with open(path) as f:
                return f.read().strip()
        except OSError:
            return ""

    def test_seed_curl_script_over_https(self):
        with tempfile.TemporaryDirectory() as work:
            out = subprocess.run([os.path.join(HERE, "seed_curl_flow.sh"), f"127.0.0.1:{self.server.tls_port}",
                                  "JOB_SCHEDULER", "Welcome1!", "/IBP/CREATE_TIME_PERIODS", "Seed", "PLANNER", work],
                                 capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("status=F", out.stdout)
        name = re.search(r"job_name=([0-9A-F]{32})", out.stdout)
        self.assertIsNotNone(name, out.stdout)
        self.assertRegex(out.stdout, r"job_run_count=[0-9A-Za-z]{8}\n")

    def test_atom_is_the_default_representation(self):
        st, body = self.admin.call("POST", "JobSchedule", {"JobTemplateName": "ZCW_DEMO_NOOP", "JobText": "atom",
                                                           "JobUser": "PLANNER"}, fmt=None)
        self.assertEqual(st, 200, body)
        text = body.decode()
        self.assertIn("<entry", text)
        self.assertIn('term="BC_EXT_APPJOB_MANAGEMENT.JobScheduleStatus"', text)
        self.assertRegex(text, r"<d:JobName>[0-9A-F]{32}</d:JobName>")

    def test_json_flow_chain_with_step_info(self):
        name, count = self.admin.schedule("ZCW_DEMO_CHAIN", simple=[param("P_SECONDS", 0, step=2)])
        self.assertEqual(self.admin.wait_status(name, count, {"F", "A"}), "F")
        st, doc = self.admin.call("GET", "JobinfoGet", {"JobName": name, "JobRunCount": count})
        self.assertEqual(st, 200, doc)
        steps = doc["d"]["results"]
        self.assertEqual([s["StepCount"] for s in steps], [1, 2, 3])
        self.assertTrue(all(s["StepStatus"] == "F" and s["JobStatus"] == "F" for s in steps))
        self.assertTrue(steps[0]["JobStartDateTime"].startswith("/Date("))

    def test_failing_job_and_restart_modes(self):
        name, count = self.admin.schedule("ZCW_DEMO_FAIL")
        self.assertEqual(self.admin.wait_status(name, count, {"F", "A"}), "A")
        st, doc = self.admin.call("POST", "JobRestart", {"JobName": name, "JobRunCount": count, "JobRestartMode": "E"})
        self.assertEqual(st, 200, doc)
        new_name, new_count = doc["d"]["JobName"], doc["d"]["JobRunCount"]
        self.assertNotEqual((new_name, new_count), (name, count))
        self.assertEqual(self.admin.wait_status(new_name, new_count, {"F", "A"}), "A")  # fails again in step 2
        st, doc = self.admin.call("POST", "JobRestart", {"JobName": name, "JobRunCount": count, "JobRestartMode": "A"})
        self.assertEqual(st, 200, doc)
        self.assertEqual(self.admin.wait_status(doc["d"]["JobName"], doc["d"]["JobRunCount"], {"F", "A"}), "F")

    def test_error_paths_carry_apj_rt_codes(self):
        done_name, done_count = self.admin.schedule("ZCW_DEMO_NOOP")
        self.admin.wait_status(done_name, done_count, {"F"})
        cases = [
            ("GET", "JobStatusGet", {"JobName": "0" * 32, "JobRunCount": "00000000"}, "APJ_RT/003"),
            ("POST", "JobSchedule", {"JobTemplateName": "NO_SUCH", "JobText": "x", "JobUser": "PLANNER"}, "APJ_RT/015"),
            ("POST", "JobCancel", {"JobName": "0" * 32, "JobRunCount": "00000000"}, "APJ_RT/039"),
            ("POST", "JobAbort", {"JobName": done_name, "JobRunCount": done_count}, "APJ_RT/040"),
            ("POST", "JobCancel", {"JobName": done_name, "JobRunCount": done_count}, "APJ_RT/040"),
            ("POST", "JobRestart", {"JobName": done_name, "JobRunCount": done_count, "JobRestartMode": "E"}, "APJ_RT/081"),
            ("POST", "JobSchedule", {"JobTemplateName": "ZCW_DEMO_NOOP", "JobText": "x", "JobUser": "NOBODY"}, "APJ_RT/083"),
        ]
        for method, fn, params, code in cases:
            with self.subTest(fn=fn, code=code):
                st, doc = self.admin.call(method, fn, params)
                self.assertEqual(st, 400, doc)
                self.assertEqual(doc["error"]["code"], code)
                self.assertTrue(doc["error"]["message"]["value"])
                self.assertRegex(doc["error"]["innererror"]["transactionid"], r"^[0-9A-F]{32}$")
        # Restart after the last step of a single-step job.
        name, count = self.admin.schedule("ZE2E_LONG_COMMAND")
        self.admin.wait_status(name, count, {"R"})
        self.assertEqual(self.admin.call("POST", "JobAbort", {"JobName": name, "JobRunCount": count})[0], 200)
        st, doc = self.admin.call("POST", "JobRestart", {"JobName": name, "JobRunCount": count, "JobRestartMode": "A"})
        self.assertEqual((st, doc["error"]["code"]), (400, "APJ_RT/082"))

    def test_wrong_method_and_parameter_types(self):
        st, doc = self.admin.call("GET", "JobSchedule", {"JobTemplateName": "ZCW_DEMO_NOOP", "JobText": "x", "JobUser": "PLANNER"})
        self.assertEqual(st, 405, doc)
        st, _, body = self.server.request("GET", SERVICE + "JobStatusGet?JobName=42&JobRunCount='x'&$format=json",
                                          {"Authorization": basic("JOB_ADMIN", "Welcome1!")})
        self.assertEqual(st, 400, body)
        self.assertIn(b"JobName", body)

    def test_own_jobs_only_without_sap_com_0326(self):
        name, count = self.admin.schedule("ZCW_DEMO_NOOP")
        scheduler = ODataSession(self.server, "JOB_SCHEDULER")
        st, doc = scheduler.call("GET", "JobStatusGet", {"JobName": name, "JobRunCount": count})
        self.assertEqual(st, 400, doc)
        own_name, own_count = scheduler.schedule("ZCW_DEMO_NOOP")
        self.assertIn(scheduler.wait_status(own_name, own_count, {"F"}), {"F"})

    def test_cancel_terminates_the_process_group(self):
        with tempfile.TemporaryDirectory() as tmp:
            pidfile = os.path.join(tmp, "pid")
            name, count = self.admin.schedule("ZE2E_LONG_COMMAND", simple=[param("P_PIDFILE", pidfile)])
            deadline = time.monotonic() + 20
            while not self.read(pidfile):
                self.assertLess(time.monotonic(), deadline, "command did not start")
                time.sleep(0.02)
            pid = int(self.read(pidfile))
            self.assertTrue(pid_alive(pid))
            st, doc = self.admin.call("POST", "JobCancel", {"JobName": name, "JobRunCount": count})
            self.assertEqual(st, 200, doc)
            self.assertEqual(doc["d"]["ReturnCode"], 0)
            self.assertEqual(self.admin.wait_status(name, count, {"C"}), "C")
            deadline = time.monotonic() + 10
            while pid_alive(pid):
                self.assertLess(time.monotonic(), deadline, "process survived the cancel")
                time.sleep(0.02)

    def test_cancel_of_a_job_that_has_not_started_removes_it(self):
        # Fill the four workers, then the fifth job waits in Y and is removed by JobCancel.
        running = [self.admin.schedule("ZCW_DEMO_SLEEP", simple=[param("P_SECONDS", 30)]) for _ in range(4)]
        for n, c in running:
            self.admin.wait_status(n, c, {"R"})
        name, count = self.admin.schedule("ZCW_DEMO_NOOP")
        self.assertEqual(self.admin.status(name, count), (200, "Y"))
        self.assertEqual(self.admin.call("POST", "JobCancel", {"JobName": name, "JobRunCount": count})[0], 200)
        st, doc = self.admin.call("GET", "JobStatusGet", {"JobName": name, "JobRunCount": count})
        self.assertEqual((st, doc["error"]["code"]), (400, "APJ_RT/003"))
        for n, c in running:
            self.assertEqual(self.admin.call("POST", "JobAbort", {"JobName": n, "JobRunCount": c})[0], 200)
            self.assertEqual(self.admin.wait_status(n, c, {"C"}), "C")

    def test_job_list_by_creation_time(self):
        t0 = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() - 5))
        name, count = self.admin.schedule("ZCW_DEMO_NOOP", text="listed")
        t1 = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + 5))
        url = (SERVICE + f"JobListGet?CreationTimeFrom=datetime'{t0}'&CreationTimeTo=datetime'{t1}'&JobText='listed'"
               "&$format=json")
        st, _, body = self.server.request("GET", url, {"Authorization": basic("JOB_ADMIN", "Welcome1!")})
        self.assertEqual(st, 200, body)
        rows = json.loads(body)["d"]["results"]
        self.assertIn((name, count), [(r["JobName"], r["JobRunCount"]) for r in rows])
        past = (SERVICE + "JobListGet?CreationTimeFrom=datetime'2001-01-01T00:00:00'"
                "&CreationTimeTo=datetime'2001-01-02T00:00:00'&$format=json")
        st, _, body = self.server.request("GET", past, {"Authorization": basic("JOB_ADMIN", "Welcome1!")})
        self.assertEqual((st, json.loads(body)["d"]["results"]), (200, []))


class Durability(unittest.TestCase):
    def test_kill9_keeps_every_answered_job_and_aborts_running_ones(self):
        server = Server()
        try:
            s = ODataSession(server, "JOB_ADMIN")
            running = [s.schedule("ZCW_DEMO_SLEEP", simple=[param("P_SECONDS", 60)]) for _ in range(3)]
            for n, c in running:
                s.wait_status(n, c, {"R"})
            answered = [s.schedule("ZCW_DEMO_SLEEP", simple=[param("P_SECONDS", 60)]) for _ in range(5)]
            server.kill9()  # right after the last JobSchedule was answered
            server.start()
            s = ODataSession(server, "JOB_ADMIN")
            for n, c in running:
                st, status = s.status(n, c)
                self.assertEqual((st, status), (200, "A"), f"running job {n} after kill -9")
            for n, c in answered:
                st, status = s.status(n, c)
                self.assertEqual(st, 200, f"answered job {n} lost")
                self.assertIn(status, {"Y", "R", "A"})
            for n, c in answered:
                if s.status(n, c)[1] in {"Y", "R"}:
                    s.call("POST", "JobCancel", {"JobName": n, "JobRunCount": c})
        finally:
            server.close()


class StepProcesses(unittest.TestCase):
    def test_steps_hold_no_server_descriptors_and_die_with_the_server(self):
        server = Server(extra_config=LONG_COMMAND)
        try:
            s = ODataSession(server, "JOB_ADMIN")
            with tempfile.TemporaryDirectory() as tmp:
                pidfile = os.path.join(tmp, "pid")
                name, count = s.schedule("ZE2E_LONG_COMMAND", simple=[param("P_PIDFILE", pidfile)])
                deadline = time.monotonic() + 20
                while not Jobs.read(pidfile):
                    self.assertLess(time.monotonic(), deadline, "command did not start")
                    time.sleep(0.02)
                pid = int(Jobs.read(pidfile))
                fds = sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd"))
                self.assertEqual(fds, [0, 1, 2], "a step must not inherit the server's sockets or files")
                server.kill9()
                deadline = time.monotonic() + 10
                while pid_alive(pid):
                    self.assertLess(time.monotonic(), deadline, "step outlived the server")
                    time.sleep(0.02)
                server.restart(kill=False)
                s = ODataSession(server, "JOB_ADMIN")
                self.assertEqual(s.status(name, count), (200, "A"))
        finally:
            server.close()

    def test_a_canceled_family_dies_with_the_server_and_the_cancel_holds(self):
        """A step's background child dies with the server too (not only the leader), and a job
        whose JobCancel was answered ends in C after kill -9, not in A."""
        # The cancel is still waiting for the shell (deaf to SIGTERM) when the server dies.
        server = Server(extra_config=FAMILY_COMMAND, settings={"jobs": {"kill_grace_ms": 600000}})
        try:
            s = ODataSession(server, "JOB_ADMIN")
            with tempfile.TemporaryDirectory() as tmp:
                pidfile = os.path.join(tmp, "pid")
                name, count = s.schedule("ZE2E_FAMILY", simple=[param("P_PIDFILE", pidfile)])
                deadline = time.monotonic() + 20
                while not Jobs.read(pidfile):
                    self.assertLess(time.monotonic(), deadline, "command did not start")
                    time.sleep(0.02)
                child = int(Jobs.read(pidfile))
                st, _ = s.call("POST", "JobCancel", {"JobName": name, "JobRunCount": count})
                self.assertEqual(st, 200)
                self.assertEqual(s.status(name, count), (200, "c"), "the shell ignores SIGTERM: still canceling")
                server.kill9()
                deadline = time.monotonic() + 10
                while pid_alive(child):
                    self.assertLess(time.monotonic(), deadline, "the step's background child outlived the server")
                    time.sleep(0.02)
                server.restart(kill=False)
                s = ODataSession(server, "JOB_ADMIN")
                self.assertEqual(s.status(name, count), (200, "C"))
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
