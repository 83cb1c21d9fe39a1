#!/usr/bin/env python3
"""Driver of bench/focused_build.sh, part (a): handover throughput.

Creates PACKAGES work packages with ITEMS work items each through the control plane (not
measured), then hands every package over (POST …/actions/S1_CALL_EXT from CLIENTS threads) and
waits until the receiver (focused_build_receiver.py) has every push. Reports the handover
requests/s and the pushes/s from the first handover to the last push received, then checks what
arrived: every push exactly once, each work package before its items, the items in their order,
each item with its package's EXTERNAL_ID as PARENT_EXTERNAL_ID, and nothing pending or failed in
the outbox. Writes the work items' GUIDs to --guids (for the StatusSet load of part b).
"""
import argparse
import base64
import http.client
import json
import os
import queue
import sys
import threading
import time

ADMIN = "Basic " + base64.b64encode(b"CAUSEWAY_ADMIN:Admin1!").decode()
PARTNERS = [{"function": "/SALM/03", "partner_no": "4711", "main": True}, {"function": "/SALM/09", "partner_no": "4000"}]


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, doc=None):
        headers = {"Authorization": ADMIN, "Accept": "application/json"}
        body = None
        if doc is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(doc)
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
        return json.loads(data) if data else None


def run_parallel(port, clients, tasks, work):
    """Runs work(client, task) for every task on `clients` threads; raises the first failure."""
    q = queue.Queue()
    for t in tasks:
        q.put(t)
    errors = []

    def worker():
        c = Client(port)
        while not errors:
            try:
                t = q.get_nowait()
            except queue.Empty:
                return
            try:
                work(c, t)
            except Exception as e:  # reported below
                errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def cpu_seconds(pid):
    """User + system CPU time of a process so far (0 without a pid)."""
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get_json(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.request("GET", path)
    r = c.getresponse()
    return json.loads(r.read())


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--receiver-port", type=int, required=True)
    p.add_argument("--packages", type=int, default=1000)
    p.add_argument("--items", type=int, default=5)
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--guids", required=True, help="file for the work items' GUIDs")
    p.add_argument("--pid", type=int, help="the server's process id (CPU per push)")
    p.add_argument("--receiver-pid", type=int, help="the receiver's process id (its CPU)")
    p.add_argument("--split", action="store_true",
                   help="pause the destination during the handovers, then drain: the two costs apart")
    a = p.parse_args()

    packages = {}  # index -> {"guid", "items": [guid…]}
    lock = threading.Lock()

    def create(c, i):
        wp = c.call("POST", "/_causeway/fb/objects", {"process_type": "S1IT", "description": f"bench package {i}",
                                                      "project": "ST_OST_SP2", "partners": PARTNERS,
                                                      "texts": [{"text_id": "S115", "text": f"requirement {i}"}]})
        guid = wp["object"]["guid"]
        items = []
        for k in range(a.items):
            wi = c.call("POST", "/_causeway/fb/objects",
                        {"process_type": "S1CG" if k % 2 == 0 else "S1MJ", "description": f"bench item {i}.{k}",
                         "package": guid, "status": "E0002", "partners": PARTNERS,
                         "texts": [{"text_id": "CD99", "text": f"overview {i}.{k}"}]})
            items.append(wi["object"]["guid"])
        with lock:
            packages[i] = {"guid": guid, "items": items}

    t = time.time()
    run_parallel(a.port, a.clients, range(a.packages), create)
    objects = a.packages * (1 + a.items)
    print(f"set-up: {objects} objects created in {time.time() - t:.2f} s "
          f"({objects / (time.time() - t):.0f}/s through the control plane)")

    expected = objects
    pushed = []

    def handover(c, i):
        out = c.call("POST", f"/_causeway/fb/objects/{packages[i]['guid']}/actions/S1_CALL_EXT")
        if out["not_pushed"] or len(out["pushes"]) != 1 + a.items:
            raise RuntimeError(f"handover of package {i}: {out['pushes']} {out['not_pushed']}")
        with lock:
            pushed.append(len(out["pushes"]))

    if a.split:
        Client(a.port).call("POST", "/_causeway/outbox/destinations/JIRA_DEMO/pause")
    cpu0, rcpu0 = cpu_seconds(a.pid), cpu_seconds(a.receiver_pid)
    t0 = time.time()
    run_parallel(a.port, a.clients, range(a.packages), handover)
    t_handover = time.time()
    if a.split:
        cpu_h = cpu_seconds(a.pid) - cpu0
        print(f"split: {a.packages} S1_CALL_EXT alone in {t_handover - t0:.2f} s ({a.packages / (t_handover - t0):.0f} req/s, "
              f"{expected / (t_handover - t0):.0f} pushes/s enqueued), {cpu_h / expected * 1e6:.0f} µs CPU per push; "
              "then the destination is resumed: 'delivery' below is the drain alone")
        cpu0, t0 = cpu_seconds(a.pid), time.time()
        t_handover = t0
        Client(a.port).call("POST", "/_causeway/outbox/destinations/JIRA_DEMO/resume")
    deadline = time.monotonic() + 600
    while True:
        stats = get_json(a.receiver_port, "/_stats")
        if stats["requests"] >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    t_last = stats["last"]
    cpu, rcpu = cpu_seconds(a.pid) - cpu0, cpu_seconds(a.receiver_pid) - rcpu0
    if not a.split:
        print(f"handover: {a.packages} S1_CALL_EXT in {t_handover - t0:.2f} s ({a.packages / (t_handover - t0):.0f} req/s, "
              f"{sum(pushed)} pushes enqueued durably, {sum(pushed) / (t_handover - t0):.0f}/s)")
    print(f"delivery: {stats['requests']} of {expected} pushes received; first handover -> last push "
          f"{t_last - t0:.2f} s = {expected / (t_last - t0):.0f} pushes/s; last push {t_last - t_handover:.2f} s "
          f"after the last handover answer")
    if a.pid:
        print(f"CPU: server {cpu:.2f} s = {cpu / expected * 1e6:.0f} µs per push (handover and delivery); "
              f"receiver {rcpu:.2f} s")

    # What arrived: exactly once each, package first, items in order with the package's id.
    records = get_json(a.receiver_port, "/_records")["records"]
    problems = []
    seen = {}
    for seq, method, guid, ptype, parent, ext, _ in records:
        if method != "POST":
            problems.append(f"{method} for {guid}")
        if guid in seen:
            problems.append(f"{guid} received twice")
        seen[guid] = (seq, ptype, parent, ext)
    for i, pkg in packages.items():
        wp = seen.get(pkg["guid"])
        if wp is None:
            problems.append(f"package {i} not received")
            continue
        got = [seen.get(g) for g in pkg["items"]]
        if any(x is None for x in got):
            problems.append(f"an item of package {i} not received")
            continue
        seqs = [wp[0]] + [x[0] for x in got]
        if seqs != sorted(seqs):
            problems.append(f"package {i}: out of order {seqs}")
        if any(x[2] != wp[3] for x in got) or wp[2] != "":
            problems.append(f"package {i}: PARENT_EXTERNAL_ID wrong")
    dest = [d for d in get_json_auth(a.port, "/_causeway/outbox/destinations")["destinations"] if d["name"] == "JIRA_DEMO"][0]
    q = dest["queue"]
    if q["pending"] or q["in_flight"] or q["failed"]:
        problems.append(f"outbox queue not empty: {q}")
    print(f"check: {len(records)} pushes, {len(seen)} distinct objects, order and PARENT_EXTERNAL_ID per package: "
          + ("all correct" if not problems else f"{len(problems)} problems, e.g. {problems[:3]}"))
    print(f"outbox JIRA_DEMO: max_concurrent {dest['max_concurrent']}, queue {q}")
    with open(a.guids, "w") as f:
        for pkg in packages.values():
            for g in pkg["items"]:
                f.write(g + "\n")
    sys.exit(1 if problems else 0)


def get_json_auth(port, path):
    c = Client(port)
    return c.call("GET", path)


if __name__ == "__main__":
    main()
