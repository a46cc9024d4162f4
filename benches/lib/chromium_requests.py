#!/usr/bin/env python3
"""Counts the requests a real browser makes for each page: headless Chromium with its network log on.

Each URL is loaded in a fresh headless Chromium (new profile, background networking off) with
--log-net-log; every URL request the log shows towards the page's own host and port is counted. The pages
are served by the benchmark's nginx from the snapshots *without* a Content-Security-Policy, so that a
reference the policy would have blocked still shows up as a request here: the count is what the HTML asks
for, not what the policy lets through. Prints one JSON object: url → number of requests (or an error).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def requests_for(binary, url, timeout):
    own = urllib.parse.urlsplit(url).netloc
    with tempfile.TemporaryDirectory(prefix="bench-chromium-") as profile:
        log = os.path.join(profile, "netlog.json")
        command = [
            binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--disable-extensions", "--ignore-certificate-errors",
            f"--user-data-dir={profile}", f"--log-net-log={log}", "--dump-dom", url,
        ]
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout,
                       check=False)
        with open(log, encoding="utf-8") as handle:
            text = handle.read()
    # Chromium may stop before closing the JSON array; close it ourselves.
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {number: name for name, number in data["constants"]["logEventTypes"].items()}
    seen = []
    for event in data.get("events", []):
        if names.get(event.get("type")) != "URL_REQUEST_START_JOB":
            continue
        requested = (event.get("params") or {}).get("url") or ""
        if urllib.parse.urlsplit(requested).netloc == own:
            seen.append(requested)
    return seen


def main():
    binary = browser()
    if binary is None:
        print(json.dumps({"error": "no chromium"}))
        return 0
    results = {}
    for url in sys.argv[1:]:
        try:
            seen = requests_for(binary, url, timeout=30)
            results[url] = {"requests": len(seen), "urls": seen}
        except (OSError, subprocess.SubprocessError, ValueError, KeyError) as error:
            results[url] = {"error": str(error)}
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
