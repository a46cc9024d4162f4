#!/usr/bin/env python3
"""A staff member's browser for the desk benchmark (benches/desk.sh), without JavaScript: HTTPS on
loopback, one cookie, forms with the page's token, TOTP codes computed here (RFC 6238: HMAC-SHA1, 6 digits,
30 s) from the secret the enrolment page shows.

  desk_client.py enrol   --port P --cert CERT --account FILE --code-file FILE
  desk_client.py measure --port P --cert CERT --account FILE --pid PID --page NAME=PATH … [--requests N]
                         [--seconds S] [--warm N]

`enrol` completes an enrolment with the one-time code read from --code-file, choosing a random password,
and keeps the password, the TOTP secret and the last TOTP step used in --account (mode 0600; the benchmark
deletes it on exit). `measure` logs in with them, requests every page --warm times unmeasured, then once
per round for --requests rounds (at most --seconds per page in all), one request at a time on one
keep-alive connection, and prints one JSON object: per page the status, bytes, and the time from sending
the request to having read the whole answer (p50, p95, max, in ms), the server's CPU time per request (from
/proc/PID/stat), and the largest VmRSS seen between rounds. Nothing secret is printed: not the password,
the TOTP secret or codes, the enrolment code or the session cookie.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import socket
import ssl
import struct
import sys
import time
import urllib.parse

TOKEN = re.compile(r'name="csrf" value="([^"]*)"')
SECRET = re.compile(r'<dd class="secret">([^<]*)<')
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Desk:
    """One keep-alive HTTPS connection to the desk on 127.0.0.1, verified against its certificate."""

    def __init__(self, port, cert):
        self.port = port
        self.context = ssl.create_default_context(cafile=cert)
        self.cookie = None
        self.connection = None

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = http.client.HTTPSConnection("localhost", self.port, timeout=60,
                                                 context=self.context)
        connection.sock = self.context.wrap_socket(raw, server_hostname="localhost")
        self.connection = connection

    def request(self, method, path, fields=None):
        """(status, headers, body). Reconnects once if the server closed the kept-alive connection."""
        body = urllib.parse.urlencode(fields) if fields is not None else None
        headers = {"Host": f"localhost:{self.port}"}
        if self.cookie:
            headers["Cookie"] = f"__Host-desk={self.cookie}"
        if method == "POST":
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": f"https://localhost:{self.port}", "Sec-Fetch-Site": "same-origin"})
        for attempt in (0, 1):
            if self.connection is None:
                self.connect()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        cookie = response.getheader("Set-Cookie")
        if cookie and cookie.startswith("__Host-desk="):
            self.cookie = cookie.split(";", 1)[0].split("=", 1)[1] or None
        return response.status, response, data

    def token(self, page):
        found = TOKEN.search(page.decode("utf-8", "replace"))
        if not found:
            sys.exit("a page without its form token")
        return found.group(1)


def totp(secret, step):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[19] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def next_step(last):
    """A TOTP step after `last`, waiting for the clock when need be (the desk takes one step ahead)."""
    step = max(int(time.time()) // 30, last + 1)
    while int(time.time()) // 30 + 1 < step:
        time.sleep(0.5)
    return step


def save_account(path, account):
    fd = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(account, handle)
    os.replace(path + ".new", path)


def enrol(args):
    with open(args.code_file, encoding="utf-8") as handle:
        code = handle.read().strip()
    desk = Desk(args.port, args.cert)
    status, _, page = desk.request("GET", "/en/enrol")
    if status != 200:
        sys.exit(f"the enrolment page answered {status}")
    status, _, page = desk.request("POST", "/en/enrol", {"csrf": desk.token(page), "enrolment": code})
    found = SECRET.search(page.decode("utf-8", "replace"))
    if status != 200 or not found:
        sys.exit(f"the enrolment code was not taken ({status})")
    secret = "".join(found.group(1).split())
    password = secrets.token_urlsafe(24)
    step = next_step(0)
    status, _, page = desk.request("POST", "/en/enrol/finish", {
        "csrf": desk.token(page), "enrolment": code, "password": password, "repeat": password,
        "code": totp(secret, step)})
    if status != 200 or b"Your account is active" not in page:
        sys.exit(f"enrolment was not completed ({status})")
    save_account(args.account, {"login": args.login, "password": password, "secret": secret, "step": step})
    print(json.dumps({"enrolled": args.login}))


def login(desk, args):
    with open(args.account, encoding="utf-8") as handle:
        account = json.load(handle)
    status, _, page = desk.request("GET", "/en/login")
    step = next_step(account["step"])
    status, response, _ = desk.request("POST", "/en/login", {
        "csrf": desk.token(page), "login": account["login"], "password": account["password"],
        "code": totp(account["secret"], step)})
    account["step"] = step
    save_account(args.account, account)
    if status != 303 or not desk.cookie:
        sys.exit(f"login refused ({status})")


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_kb(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int((len(ordered) - 1) * p / 100 + 0.5))]


def measure(args):
    desk = Desk(args.port, args.cert)
    login(desk, args)
    pages = [spec.split("=", 1) for spec in args.page]
    for _ in range(args.warm):
        for _, path in pages:
            desk.request("GET", path)
    # In rounds, every page once per round, so that a change in what else the machine does touches every
    # page alike.
    times = {name: [] for name, _ in pages}
    sizes = {name: 0 for name, _ in pages}
    statuses = {name: set() for name, _ in pages}
    ticks = {name: 0 for name, _ in pages}
    largest_rss = rss_kb(args.pid)
    deadline = time.monotonic() + args.seconds * len(pages)
    rounds = 0
    while rounds < args.requests and time.monotonic() < deadline:
        for name, path in pages:
            before = cpu_ticks(args.pid)
            started = time.perf_counter()
            status, _, body = desk.request("GET", path)
            times[name].append((time.perf_counter() - started) * 1000)
            ticks[name] += cpu_ticks(args.pid) - before
            sizes[name] = max(sizes[name], len(body))
            statuses[name].add(status)
        largest_rss = max(largest_rss, rss_kb(args.pid))
        rounds += 1
    result = {}
    for name, path in pages:
        measured = times[name]
        result[name] = {
            "path": path, "requests": len(measured), "status": sorted(statuses[name]), "bytes": sizes[name],
            "p50_ms": round(percentile(measured, 50), 1), "p95_ms": round(percentile(measured, 95), 1),
            "max_ms": round(max(measured), 1),
            "server_cpu_ms": round(ticks[name] * 1000 / CLK_TCK / len(measured), 1),
        }
    print(json.dumps({"pages": result, "largest_rss_kb": largest_rss}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["enrol", "measure"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--login", default="")
    parser.add_argument("--code-file")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--page", action="append", default=[])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warm", type=int, default=2)
    args = parser.parse_args()
    if args.what == "enrol":
        enrol(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
