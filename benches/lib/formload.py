#!/usr/bin/env python3
"""Two-step form load for the benchmarks: first contacts and returns with a code, as browsers send them.

Each worker thread keeps one keep-alive HTTPS connection and loops until the time is up:

* submit: an empty POST /{lang}/contact (the landing page's "write to us" button) for the form and a fresh
  token, then POST /{lang}/contact (group, message, reply language, token). A 200 carrying a ticket code counts as a submission; the codes are written out so the
  return load can use them.
* return: an empty POST /{lang}/return (the landing page's button) for the code form and a fresh token, then
  POST /{lang}/return with a code from the submit run. A 200
  that shows the conversation counts.

Only the standard library is used (threads, ssl, http.client). Prints one JSON object with counts, the rate
of successes per second and the latency of the POSTs (p50/p99, milliseconds).
"""

import argparse
import html
import http.client
import json
import re
import ssl
import sys
import threading
import time
import urllib.parse

TOKEN = re.compile(r'<input[^>]*name="token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
CODE = re.compile(r'class="code"[^>]*>(.*?)</p>', re.S)
TAG = re.compile(r"<[^>]+>")


def token_of(page):
    tag = TOKEN.search(page)
    if not tag:
        return None
    value = VALUE.search(tag.group(0))
    return html.unescape(value.group(1)) if value else None


def code_of(page):
    found = CODE.search(page)
    if not found:
        return None
    return " ".join(TAG.sub(" ", found.group(1)).split())


class Worker(threading.Thread):
    def __init__(self, args, deadline, codes, start_index):
        super().__init__(daemon=True)
        self.args = args
        self.deadline = deadline
        self.codes = codes
        self.index = start_index
        self.ok = 0
        self.refused = {}
        self.errors = 0
        self.latencies = []
        self.new_codes = []
        self.conn = None

    def connect(self):
        if self.conn is not None:
            self.conn.close()
        if self.args.tls:
            # Loopback and a throwaway certificate: verification would measure nothing.
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            context.minimum_version = ssl.TLSVersion.TLSv1_3
            self.conn = http.client.HTTPSConnection(
                "127.0.0.1", self.args.port, context=context, timeout=60
            )
        else:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=60)

    def request(self, method, path, body=None):
        headers = {"Host": "localhost", "Sec-Fetch-Site": "same-origin"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = "null"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                if attempt == 1:
                    raise
                self.connect()
        raise RuntimeError("unreachable")

    def step(self):
        lang = self.args.lang
        if self.args.mode == "submit":
            status, page = self.request("POST", f"/{lang}/contact", "")
            token = token_of(page) if status == 200 else None
            fields = {
                "token": token or "",
                "group": "exposed",
                "message": "Benchmark message: " + "lorem ipsum " * 40,
                "reply_language": lang,
                "website": "",
            }
            path = f"/{lang}/contact"
        else:
            code = self.codes[self.index % len(self.codes)]
            self.index += 1
            status, page = self.request("POST", f"/{lang}/return", "")
            token = token_of(page) if status == 200 else None
            fields = {"token": token or "", "code": code}
            path = f"/{lang}/return"
        if token is None:
            self.errors += 1
            return
        started = time.monotonic()
        status, page = self.request("POST", path, urllib.parse.urlencode(fields))
        elapsed = time.monotonic() - started
        if status == 200:
            if self.args.mode == "submit":
                code = code_of(page)
                if code:
                    self.new_codes.append(code)
                    self.ok += 1
                    self.latencies.append(elapsed)
                else:
                    self.errors += 1
            else:
                self.ok += 1
                self.latencies.append(elapsed)
        else:
            self.refused[status] = self.refused.get(status, 0) + 1

    def run(self):
        self.connect()
        while time.monotonic() < self.deadline:
            try:
                self.step()
            except Exception:  # noqa: BLE001 - any failure counts as an error and the loop goes on
                self.errors += 1
                time.sleep(0.05)
                try:
                    self.connect()
                except OSError:
                    pass
        if self.conn is not None:
            self.conn.close()


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["submit", "return"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls", action="store_true", help="HTTPS (else plain HTTP)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--lang", default="sv")
    parser.add_argument("--codes-in", help="file of codes (return mode), one a line")
    parser.add_argument("--codes-out", help="append the codes received here (submit mode)")
    args = parser.parse_args()

    codes = []
    if args.mode == "return":
        with open(args.codes_in, encoding="utf-8") as handle:
            codes = [line.strip() for line in handle if line.strip()]
        if not codes:
            print("formload: no codes to return with", file=sys.stderr)
            return 2

    started = time.monotonic()
    deadline = started + args.duration
    workers = [Worker(args, deadline, codes, i * 7919) for i in range(args.threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started

    latencies = [value for worker in workers for value in worker.latencies]
    refused = {}
    for worker in workers:
        for status, count in worker.refused.items():
            refused[str(status)] = refused.get(str(status), 0) + count
    ok = sum(worker.ok for worker in workers)
    if args.codes_out:
        with open(args.codes_out, "a", encoding="utf-8") as handle:
            for worker in workers:
                for code in worker.new_codes:
                    handle.write(code + "\n")
    result = {
        "mode": args.mode,
        "threads": args.threads,
        "seconds": round(elapsed, 2),
        "ok": ok,
        "per_second": round(ok / elapsed, 2) if elapsed > 0 else 0,
        "refused": refused,
        "errors": sum(worker.errors for worker in workers),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
