#!/usr/bin/env python3
"""Job-scheduling figures of issue 4 against a running causeway (see jobs_load.sh):
  - noop job: JobSchedule answered → status F visible, p50/p90 over N samples (sequential);
  - burst: B jobs scheduled by C concurrent clients, time until all are F, none lost, peak RSS.
Standard library only."""
import argparse
import base64
import concurrent.futures
import http.client
import json
import statistics
import threading
import time
from urllib.parse import quote

SRV = "/sap/opu/odata/sap/BC_EXT_APPJOB_MANAGEMENT;v=0002/"


class Session:
    def __init__(self, port, user, password):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.conn.request("HEAD", SRV, headers={"Authorization": self.auth, "X-CSRF-Token": "Fetch"})
        r = self.conn.getresponse()
        r.read()
        self.token = r.getheader("x-csrf-token")
        self.cookie = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie" and v.startswith("SAP_SESSIONID")][0]

    def call(self, method, path):
        self.conn.request(method, SRV + path, headers={"Authorization": self.auth, "Cookie": self.cookie,
                                                       "X-CSRF-Token": self.token})
        r = self.conn.getresponse()
        body = r.read()
        return r.status, json.loads(body) if body else None

    def schedule(self, template="ZCW_DEMO_NOOP"):
        st, doc = self.call("POST", f"JobSchedule?JobTemplateName='{quote(template, safe='')}'&JobText='bench'"
                                    "&JobUser='PLANNER'&$format=json")
        assert st == 200, (st, doc)
        return doc["d"]["JobName"], doc["d"]["JobRunCount"]

    def status(self, name, count):
        st, doc = self.call("GET", f"JobStatusGet?JobName='{name}'&JobRunCount='{count}'&$format=json")
        assert st == 200, (st, doc)
        return doc["d"]["JobStatus"]


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def latency(port, user, password, samples):
    s = Session(port, user, password)
    lat = []
    for _ in range(samples):
        t0 = time.perf_counter()
        name, count = s.schedule()
        while s.status(name, count) != "F":
            pass
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    print(f"noop job, JobSchedule to F visible: p50 {statistics.median(lat):.2f} ms, "
          f"p90 {lat[int(len(lat) * 0.9)]:.2f} ms, max {lat[-1]:.2f} ms over {samples} jobs")


def burst(port, user, password, total, clients, pid):
    peak = [rss_mib(pid) if pid else 0.0]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            if pid:
                peak[0] = max(peak[0], rss_mib(pid))
            time.sleep(0.2)

    threading.Thread(target=sample, daemon=True).start()
    def worker(i):
        s = Session(port, user, password)
        share = total // clients + (1 if i < total % clients else 0)
        return [s.schedule() for _ in range(share)]

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as ex:
        jobs = [j for batch in ex.map(worker, range(clients)) for j in batch]
    t_sched = time.perf_counter() - t0
    s = Session(port, user, password)
    pending = list(jobs)
    statuses = {}
    while pending:
        nxt = []
        for name, count in pending:
            st = s.status(name, count)
            if st in ("F", "A", "C", "W", "U"):
                statuses[st] = statuses.get(st, 0) + 1
            else:
                nxt.append((name, count))
        pending = nxt
        if pending:
            time.sleep(0.2)
    t_all = time.perf_counter() - t0
    stop.set()
    print(f"burst: {len(jobs)} jobs scheduled by {clients} clients in {t_sched:.2f} s "
          f"({len(jobs) / t_sched:.0f}/s); all final after {t_all:.2f} s: {statuses}; "
          f"lost: {len(jobs) - sum(statuses.values())}; peak RSS {peak[0]:.1f} MiB")
    assert statuses.get("F", 0) == len(jobs), statuses


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", default="JOB_ADMIN")
    ap.add_argument("--password", default="Welcome1!")
    ap.add_argument("--pid", type=int, default=0)
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--burst", type=int, default=10000)
    ap.add_argument("--clients", type=int, default=64)
    a = ap.parse_args()
    latency(a.port, a.user, a.password, a.samples)
    burst(a.port, a.user, a.password, a.burst, a.clients, a.pid)
