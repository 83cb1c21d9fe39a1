"""Issue 9 over HTTP: a $batch change set is one unit for the job service. A change set whose
second JobSchedule fails is answered by the single 400 part (as Gateway does) and leaves nothing:
no job in the list, nothing run. Retrying the corrected change set schedules each job once."""
import json
import re
import unittest
import uuid

from harness import SERVICE, ODataSession, Server


def change_set_batch(operations):
    """A $batch with one change set holding `operations` (request lines relative to the service)."""
    parts = "".join(
        "--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n"
        f"{op} HTTP/1.1\r\nAccept: application/json\r\n\r\n\r\n" for op in operations)
    return ("--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n" + parts +
            "--changeset_1--\r\n\r\n--batch_1--\r\n").encode()


def schedule_op(template, text):
    return f"POST JobSchedule?JobTemplateName='{template}'&JobText='{text}'&JobUser='PLANNER'"


class ChangeSets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.admin = ODataSession(cls.server, "JOB_ADMIN")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def post_batch(self, operations):
        headers = dict(self.admin.auth, Cookie=self.admin.cookie, **{
            "X-CSRF-Token": self.admin.token, "Content-Type": "multipart/mixed; boundary=batch_1"})
        st, _, body = self.server.request("POST", SERVICE + "$batch", headers, change_set_batch(operations))
        self.assertEqual(st, 202, body)
        return body.decode()

    def listed(self, text):
        st, doc = self.admin.call("GET", "JobListGet", {"JobText": text})
        self.assertEqual(st, 200, doc)
        return sorted((r["JobName"], r["JobRunCount"]) for r in doc["d"]["results"])

    def barrier(self):
        """A job scheduled and run to F after the change set: by then the workers have claimed
        every job there was to claim."""
        name, count = self.admin.schedule("ZCW_DEMO_NOOP", text="barrier")
        self.assertEqual(self.admin.wait_status(name, count, {"F"}), "F")

    def test_failed_change_set_leaves_no_job_and_its_retry_schedules_each_once(self):
        text = "cs-" + uuid.uuid4().hex[:12]
        body = self.post_batch([schedule_op("ZCW_DEMO_NOOP", text), schedule_op("ZCW_NOPE", text)])
        # One part for the whole change set: the error of the operation that failed.
        self.assertEqual(body.count("HTTP/1.1 "), 1, body)
        self.assertIn("HTTP/1.1 400 Bad Request", body)
        self.assertIn('"code":"APJ_RT/015"', body)
        self.assertNotRegex(body, r'"JobName":"[0-9A-F]{32}"')
        self.assertEqual(self.listed(text), [], "the first JobSchedule of the failed change set was kept")
        self.barrier()
        self.assertEqual(self.listed(text), [], "a job of the failed change set appeared later")

        # The client corrects the second operation and sends the change set again.
        body = self.post_batch([schedule_op("ZCW_DEMO_NOOP", text), schedule_op("ZCW_DEMO_CHAIN", text)])
        self.assertEqual(body.count("HTTP/1.1 200 OK"), 2, body)
        scheduled = sorted(re.findall(r'"JobName":"([0-9A-F]{32})","JobRunCount":"([0-9A-Za-z]{8})"', body))
        self.assertEqual(len(scheduled), 2, body)
        for name, count in scheduled:
            self.assertEqual(self.admin.wait_status(name, count, {"F", "A"}), "F")
        self.assertEqual(self.listed(text), scheduled)
        for name, count in scheduled:
            st, doc = self.admin.call("GET", "JobinfoGet", {"JobName": name, "JobRunCount": count})
            self.assertEqual(st, 200, doc)
            self.assertTrue(all(step["StepStatus"] == "F" for step in doc["d"]["results"]), json.dumps(doc))


if __name__ == "__main__":
    unittest.main()
