#!/usr/bin/env python3
"""Cold start to first served page: from exec of `porten serve` to the first complete landing page over HTTPS.

Runs the given command (everything after --) several times. Before each "first start" run the data directory
is emptied, so the gateway makes its pepper, database and development keys; "restart" runs reuse what the
previous run left, as after a reboot. The client tries to connect every millisecond; the time ends when a
whole 200 response has been read. Each gateway is stopped with SIGTERM and waited for. Prints one JSON object
with the median and every sample, in milliseconds.
"""

import argparse
import http.client
import json
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import time


def first_page(port, deadline):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
            conn.request("GET", "/sv/", headers={"Host": "localhost"})
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return True
        except (OSError, http.client.HTTPException, socket.timeout):
            pass
        time.sleep(0.001)
    return False


def one_run(command, port, log):
    started = time.monotonic()
    with open(log, "ab") as sink:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=sink)
    try:
        served = first_page(port, started + 60)
        elapsed = time.monotonic() - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return elapsed * 1000 if served else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--log", required=True)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    result = {}
    for kind in ("first_start", "restart"):
        samples = []
        for _ in range(args.runs):
            if kind == "first_start":
                shutil.rmtree(args.data_dir, ignore_errors=True)
            value = one_run(command, args.port, args.log)
            if value is not None:
                samples.append(round(value, 1))
        result[kind] = {
            "median_ms": round(statistics.median(samples), 1) if samples else None,
            "samples_ms": samples,
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
