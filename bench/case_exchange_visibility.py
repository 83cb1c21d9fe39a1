#!/usr/bin/env python3
"""Outgoing operations visible to a poll: an agent adds a comment to a record owned by the
external group (an Update is generated in the same unit of work as the comment), and as soon as
that answer arrives the integration polls with the watermark of its previous poll. Prints how
long after the comment's answer the poll that shows the Update was answered (p50, p90, p99,
max) over N rounds, and how many rounds needed more than one poll (must be 0).

    case_exchange_visibility.py PORT TENANT FIRST_ID RECORDS [ROUNDS]
"""
import email.utils
import http.client
import json
import statistics
import sys
import time

port, tenant, first, records = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 300


def token(conn, login):
    conn.request("POST", f"/auth/authentication-endpoint/authenticate/token?TENANTID={tenant}",
                 json.dumps({"Login": login, "Password": "Welcome1!"}), {"Content-Type": "application/json"})
    r = conn.getresponse()
    body = r.read()
    assert r.status == 200, (r.status, body)
    return body.decode()


agent_conn = http.client.HTTPConnection("127.0.0.1", port)
poll_conn = http.client.HTTPConnection("127.0.0.1", port)
agent = token(agent_conn, "ana.agent")
snow = token(poll_conn, "sx.snow")


def poll(watermark):
    poll_conn.request("GET", f"/rest/{tenant}/ces?layout=Id&type=Change&system=SNOW&time={watermark}&size=4000",
                      headers={"Cookie": f"LWSSO_COOKIE_KEY={snow}"})
    r = poll_conn.getresponse()
    doc = json.loads(r.read())
    assert r.status == 200, doc
    date = int(email.utils.parsedate_to_datetime(r.getheader("date")).timestamp() * 1000)
    return doc["entities"], date


_, watermark = poll(int(time.time() * 1000))
delays, extra_polls = [], 0
for i in range(rounds):
    cid = str(first + (i * 13) % records)
    body = json.dumps({"Body": f"visibility {i}"})
    agent_conn.request("POST", f"/rest/{tenant}/collaboration/comments/Change/{cid}", body,
                       {"Content-Type": "application/json", "Cookie": f"LWSSO_COOKIE_KEY={agent}"})
    r = agent_conn.getresponse()
    r.read()
    assert r.status == 200, r.status
    answered = time.perf_counter()
    polls = 0
    while True:
        entities, date = poll(watermark)
        polls += 1
        if any(e["properties"]["Id"] == cid and e["ext_properties"]["Operation"] == "Update" for e in entities):
            break
    delays.append((time.perf_counter() - answered) * 1000)
    extra_polls += polls - 1
    watermark = date
delays.sort()
q = lambda p: delays[min(len(delays) - 1, int(p * len(delays)))]
print(f"visibility (comment answered -> poll showing its Update answered), {rounds} rounds: "
      f"p50 {q(0.5):.2f} ms, p90 {q(0.9):.2f} ms, p99 {q(0.99):.2f} ms, max {delays[-1]:.2f} ms; "
      f"rounds needing a second poll: {extra_polls}")
