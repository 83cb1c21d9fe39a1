#!/usr/bin/env python3
"""The external tool of bench/focused_build.sh: a fast single-threaded asyncio HTTP/1.1 server
that answers Focused Build pushes as the Jira connector does (POST → 201 with an OData V4
EXTERNAL_ID, one per TICKET_GUID; PUT → 204) and records each push (arrival order, TICKET_GUID,
PROCESS_TYPE, PARENT_EXTERNAL_ID, time). It reads only the few fields it needs with a regular
expression: the receiver must not be what limits the measured rate.

    focused_build_receiver.py [--port 0]

Prints {"port": N} once it listens. GET /_stats → {"requests", "first", "last"} (Unix seconds of
the first and last push); GET /_records → {"records": [[seq, method, guid, type, parent, id, t]]}.
"""
import argparse
import asyncio
import json
import re
import time

FIELD = re.compile(rb'"(TICKET_GUID|PROCESS_TYPE|PARENT_EXTERNAL_ID)":"([^"]*)"')


class Tool:
    def __init__(self):
        self.records = []
        self.ids = {}

    def push(self, method, body):
        fields = {k.decode(): v.decode() for k, v in FIELD.findall(body)}
        guid = fields.get("TICKET_GUID", "")
        if method == "POST":
            ext = self.ids.setdefault(guid, "BEN-%d" % (len(self.ids) + 1))
            answer = (201, b'{"@odata.context":"$metadata#Issues","EXTERNAL_ID":"' + ext.encode() + b'"}')
        else:
            ext, answer = self.ids.get(guid, ""), (204, b"")
        self.records.append([len(self.records) + 1, method, guid, fields.get("PROCESS_TYPE", ""),
                             fields.get("PARENT_EXTERNAL_ID", ""), ext, time.time()])
        return answer

    def control(self, path):
        if path == "/_stats":
            r = self.records
            return 200, json.dumps({"requests": len(r), "first": r[0][6] if r else None,
                                    "last": r[-1][6] if r else None}).encode()
        if path == "/_records":
            return 200, json.dumps({"records": self.records}).encode()
        return 404, b"{}"


REASONS = {200: b"OK", 201: b"Created", 204: b"No Content", 404: b"Not Found"}


class Connection(asyncio.Protocol):
    def __init__(self, tool):
        self.tool = tool
        self.buf = bytearray()
        self.continued = False

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buf[:end]).split(b"\r\n")
            method, target = head[0].split(b" ")[:2]
            length, expect = 0, False
            for line in head[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"expect" and value.strip().lower() == b"100-continue":
                    expect = True
            if len(self.buf) < end + 4 + length:
                if expect and not self.continued:
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
                    self.continued = True
                return
            body = bytes(self.buf[end + 4:end + 4 + length])
            del self.buf[:end + 4 + length]
            self.continued = False
            path = target.split(b"?")[0].decode()
            if path.startswith("/_"):
                status, out = self.tool.control(path)
                ctype = b"application/json"
            else:
                status, out = self.tool.push(method.decode(), body)
                ctype = b"application/json;odata.metadata=minimal"
            self.transport.write(b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s"
                                 % (status, REASONS[status], ctype, len(out), out))


async def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args()
    tool = Tool()
    server = await asyncio.get_running_loop().create_server(lambda: Connection(tool), "127.0.0.1", args.port,
                                                            backlog=1024)
    print(json.dumps({"port": server.sockets[0].getsockname()[1]}), flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
