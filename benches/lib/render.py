#!/usr/bin/env python3
"""Turns one benchmark run's work directory into the results document (Markdown) on standard output.

Reads results.env (key=value lines, later keys win), the wrk summaries (wrk-NAME.txt), and the JSON written
by coldstart.py, pages.py, chromium_requests.py and formload.py. A figure that is missing is shown as "n/a"
rather than guessed.
"""

import json
import os
import re
import sys

WORK = sys.argv[1]


def path(name):
    return os.path.join(WORK, name)


def load_env():
    values = {}
    try:
        with open(path("results.env"), encoding="utf-8") as handle:
            for line in handle:
                key, _, value = line.rstrip("\n").partition("=")
                if key:
                    values[key] = value
    except OSError:
        pass
    return values


def load_json(name):
    try:
        with open(path(name), encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return {}


def load_wrk(name):
    try:
        with open(path(f"wrk-{name}.txt"), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return {}
    return {key: float(value) for key, value in re.findall(r"(\w+)=([0-9.]+)", text)}


ENV = load_env()
NA = "n/a"


def number(value, digits=0):
    if value is None:
        return NA
    if digits == 0:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def ratio(a, b, digits=2):
    if a is None or b in (None, 0):
        return NA
    return f"{a / b:.{digits}f}"


def rps(run):
    if not run or not run.get("duration_us") or not run.get("requests"):
        return None
    return run["requests"] / (run["duration_us"] / 1e6)


def ms(run, key):
    if not run or not run.get("requests") or key not in run:
        return None
    return run[key] / 1000


def cpu_us(run):
    if not run or not run.get("requests") or "server_cpu_s" not in run:
        return None
    return run["server_cpu_s"] / run["requests"] * 1e6


def client_busy(run):
    if not run or not run.get("duration_us") or "client_cpu_s" not in run:
        return None
    return run["client_cpu_s"] / (run["duration_us"] / 1e6) * 100


def server_busy(run):
    if not run or not run.get("duration_us") or "server_cpu_s" not in run:
        return None
    return run["server_cpu_s"] / (run["duration_us"] / 1e6) * 100


def kb_to_mib(value):
    try:
        return f"{int(value) / 1024:.1f} MiB"
    except (TypeError, ValueError):
        return NA


def size(value):
    try:
        return f"{int(value) / 1048576:.2f} MiB ({int(value):,} B)"
    except (TypeError, ValueError):
        return value or NA


def errors_note(run):
    if not run:
        return ""
    bad = sum(run.get(key, 0) for key in
              ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return f" ({bad:.0f} errors)" if bad else ""


def page_rows(lines, transport, porten, nginx):
    lines.append(
        f"| Landing page over {transport}: requests/s | {number(rps(porten))}{errors_note(porten)} | "
        f"{number(rps(nginx))}{errors_note(nginx)} | **{ratio(rps(porten), rps(nginx))}** |")
    lines.append(
        f"| … latency p50 / p99 (ms) | {number(ms(porten, 'p50_us'), 2)} / {number(ms(porten, 'p99_us'), 2)} | "
        f"{number(ms(nginx, 'p50_us'), 2)} / {number(ms(nginx, 'p99_us'), 2)} | "
        f"{ratio(ms(porten, 'p50_us'), ms(nginx, 'p50_us'))} / {ratio(ms(porten, 'p99_us'), ms(nginx, 'p99_us'))} |")
    lines.append(
        f"| … server CPU time per request (µs) | {number(cpu_us(porten), 1)} | {number(cpu_us(nginx), 1)} | "
        f"{ratio(cpu_us(porten), cpu_us(nginx))} |")
    lines.append(
        f"| … CPU busy: server / load generator (%) | {number(server_busy(porten))} / {number(client_busy(porten))} | "
        f"{number(server_busy(nginx))} / {number(client_busy(nginx))} | |")


def main():
    lines = []
    add = lines.append
    porten_https, nginx_https = load_wrk("porten-https"), load_wrk("nginx-https")
    porten_http, nginx_http = load_wrk("porten-http"), load_wrk("nginx-http")
    probe_idle, probe_submit = load_wrk("probe-idle"), load_wrk("probe-submit")
    submit, back = load_json("submit.json"), load_json("return.json")
    bare = load_json("kdf.json")
    cold = load_json("coldstart.json")
    pages = load_json("pages.json")
    chromium = load_json("chromium.json")

    add("# Benchmark results")
    add("")
    add(f"Run on {ENV.get('date', NA)} at commit {ENV.get('commit', NA)}, with:")
    add("")
    add("```sh")
    add(ENV.get("command", "bash benches/run.sh"))
    add("```")
    add("")
    add("How each figure is taken, and what to make of it: [README.md](README.md).")
    add("")
    add("## Machine")
    add("")
    add(f"- CPU: {ENV.get('cpu', NA)}, `nproc` = {ENV.get('nproc', NA)}; memory {ENV.get('memory', NA)}")
    add(f"- {ENV.get('os', NA)}, kernel {ENV.get('kernel', NA)}; {ENV.get('rustc', NA)}")
    add(f"- reference: {ENV.get('nginx_version', NA)}, one worker; load from {ENV.get('wrk_version', NA)} "
        "and, for forms, benches/lib/formload.py")
    add(f"- load average when the run ended: {ENV.get('loadavg', NA)} (other work on the machine makes figures "
        "noisy; the ratios between servers measured back to back in one run are what count)")
    pinned = ENV.get("pinned") == "1"
    add("- pinning: " + ("server under test (porten or nginx) on CPU 0, load generators (wrk, the Python form "
                         "load, Chromium) on CPU 1: a server never has more than one core, nor shares it with its client"
                         if pinned else "none")
        + (f"; servers and load generators at nice {ENV['nice']}, ahead of other work on the machine"
           if ENV.get("nice", "0") not in ("", "0") else ""))
    add(f"- the binary measured: `cargo build --release` (default features: {ENV.get('default_features') or 'none'}; "
        f"{size(ENV.get('size_default'))}); the onion service is off in the benchmark configuration")
    add(f"- wrk {ENV.get('wrk_args', NA)}, keep-alive, after a 2 s warm-up; TLS 1.3, cipher porten "
        f"`{ENV.get('cipher_porten', NA)}`, nginx `{ENV.get('cipher_nginx', NA)}`; the same ECDSA P-256 certificate")
    add("")
    add("## Summary")
    add("")
    add("| measure | porten | reference (nginx, static file) | porten / reference |")
    add("|---|---:|---:|---:|")
    page_rows(lines, "HTTPS", porten_https, nginx_https)
    page_rows(lines, "plain HTTP (onion path)", porten_http, nginx_http)

    kdf = "Argon2id m = 64 MiB, t = 3, p = 1, 1 permit"
    if submit:
        refused = ", ".join(f"{count}× {status}" for status, count in submit.get("refused", {}).items())
        add(f"| First contacts per second, key derivation saturated ({kdf}; 8 clients) | "
            f"**{number(submit.get('per_second'), 2)}** ({submit.get('ok', 0)} in {submit.get('seconds', NA)} s"
            f"{'; refused: ' + refused if refused else ''}{'; errors: ' + str(submit['errors']) if submit.get('errors') else ''}) | – | |")
        add(f"| … latency of the POST p50 / p99 (ms) | {number(submit.get('p50_ms'))} / {number(submit.get('p99_ms'))} | – | |")
    else:
        add(f"| First contacts per second ({kdf}) | {NA} | – | |")
    add(f"| Landing page p99 (ms), paced probe (4 connections, one request each per 20 ms): alone → during "
        f"the submissions | {number(ms(probe_idle, 'p99_us'), 2)} → **{number(ms(probe_submit, 'p99_us'), 2)}** "
        f"(p50 {number(ms(probe_idle, 'p50_us'), 2)} → {number(ms(probe_submit, 'p50_us'), 2)}) | – | |")
    if bare:
        add(f"| Bare Argon2id derivations per second, same parameters, same core, one thread (benches/kdf.rs) | "
            f"{number(bare.get('per_second'), 2)} ({number(bare.get('ms_each'), 1)} ms each) | – | |")
        add(f"| First contacts ÷ bare derivations (goal ≥ 0.90) | **{ratio(submit.get('per_second'), bare.get('per_second'))}** | – | |")
        add(f"| Returns ÷ bare derivations (goal ≥ 0.90) | **{ratio(back.get('per_second'), bare.get('per_second'))}** | – | |")
    add(f"| Landing p99 during ÷ alone (goal ≤ 3) | **{ratio(ms(probe_submit, 'p99_us'), ms(probe_idle, 'p99_us'))}** | – | |")
    if back:
        add(f"| Returns with a code per second (8 clients) | **{number(back.get('per_second'), 2)}** "
            f"({back.get('ok', 0)} in {back.get('seconds', NA)} s) | – | |")
        add(f"| … latency of the POST p50 / p99 (ms) | {number(back.get('p50_ms'))} / {number(back.get('p99_ms'))} | – | |")
    else:
        add(f"| Returns with a code per second | {NA} | – | |")
    nginx_idle = ENV.get("nginx_rss_idle_kb")
    nginx_load = None
    try:
        nginx_load = int(ENV.get("nginx_worker_rss_page_kb", "")) + int(ENV.get("nginx_master_rss_kb", ""))
    except ValueError:
        pass
    threads = f" ({ENV['threads_idle']} threads)" if ENV.get("threads_idle") else ""
    add(f"| Resident memory (VmRSS), idle | {kb_to_mib(ENV.get('rss_idle_kb'))}{threads} | {kb_to_mib(nginx_idle)} "
        f"(master + worker) | {ratio(float(ENV['rss_idle_kb']) if ENV.get('rss_idle_kb') else None, float(nginx_idle) if nginx_idle else None, 1)} |")
    add(f"| … under page load (largest sample, HTTPS run) | {kb_to_mib(ENV.get('rss_page_kb'))} | "
        f"{kb_to_mib(nginx_load)} | {ratio(float(ENV['rss_page_kb']) if ENV.get('rss_page_kb') else None, nginx_load, 1)} |")
    add(f"| … under submission load: largest sample / peak (VmHWM) | {kb_to_mib(ENV.get('rss_submit_kb'))} / "
        f"{kb_to_mib(ENV.get('hwm_after_submit_kb'))} | – | |")
    add(f"| Binary size, release, stripped: without / with the onion service | {size(ENV.get('size_plain'))} / "
        f"{size(ENV.get('size_onion'))} | – | |")
    add(f"| Crates in the dependency tree (normal edges): without / with the onion service | "
        f"{ENV.get('crates_plain', NA)} / {ENV.get('crates_onion', NA)} | – | |")
    first = (cold.get("first_start") or {}).get("median_ms")
    again = (cold.get("restart") or {}).get("median_ms")
    add(f"| Cold start to the first served page over HTTPS, median (ms): new data directory / restart | "
        f"{number(first, 1)} / {number(again, 1)} | – | |")
    add(f"| Landing page (sv): body / response head (bytes) | {number(float(ENV['landing_bytes'])) if ENV.get('landing_bytes') else NA} / "
        f"{ENV.get('porten_head_bytes', NA)} | same body / {ENV.get('nginx_head_bytes', NA)} | |")
    if ENV.get("internal_drain_per_second") or ENV.get("internal_latency_median_ms"):
        add(f"| Internal side: submit → spool file latency, median / p90 (ms) | "
            f"{ENV.get('internal_latency_median_ms', NA)} / {ENV.get('internal_latency_p90_ms', NA)} | – | |")
        add(f"| Internal side: drain rate of a backlog (envelopes/s) | "
            f"**{ENV.get('internal_drain_per_second', NA)}** | – | |")
    if ENV.get("desk_queue_p95_ms"):
        add(f"| Staff desk, 10,000 cases and 100,000 messages: queue view p95, worst open view / closed (ms) | "
            f"{ENV.get('desk_queue_p95_ms', NA)} / {ENV.get('desk_closed_p95_ms', NA)} | – | |")
        add(f"| … server CPU time per queue page, worst open view / closed (ms) | "
            f"{ENV.get('desk_queue_cpu_ms', NA)} / {ENV.get('desk_closed_cpu_ms', NA)} | – | |")
        add(f"| … case page p95, typical / longest conversation (ms) | "
            f"{ENV.get('desk_case_p95_ms', NA)} / {ENV.get('desk_long_case_p95_ms', NA)} | – | |")
        add(f"| … server CPU time per case page, typical / longest (ms) | "
            f"{ENV.get('desk_case_cpu_ms', NA)} / {ENV.get('desk_long_case_cpu_ms', NA)} | – | |")
        add(f"| … the desk's memory (VmRSS): steady / peak (VmHWM) | {ENV.get('desk_rss_steady_mib', NA)} MiB / "
            f"{ENV.get('desk_rss_peak_mib', NA)} MiB | – | |")
    rows = pages.get("pages") or []
    if rows:
        worst = max(row["requests"] for row in rows)
        add(f"| Requests a page causes (HTML references; {len(rows)} pages × languages) | "
            f"{'**1** on every page' if worst == 1 else f'up to **{worst}**: see below'} | – | |")
    measured = {url: value for url, value in chromium.items() if isinstance(value, dict) and "requests" in value}
    if measured:
        most = max(value["requests"] for value in measured.values())
        add(f"| Requests a page causes in headless Chromium (network log; {len(measured)} pages) | "
            f"{'**1** on every page' if most == 1 else f'up to **{most}**: see below'} | – | |")
    add("")

    if rows:
        languages = pages.get("languages") or []
        names = []
        for row in rows:
            if row["page"] not in names:
                names.append(row["page"])
        cells = {(row["lang"], row["page"]): row for row in rows}
        add("## Bytes per page")
        add("")
        add("Body bytes of every page in every language of the picker (no compression: porten never compresses, "
            "because pages carry secrets). Status in brackets where it is not 200; the response head adds "
            f"about {rows[0]['head_bytes']} bytes to each.")
        add("")
        add("| page | " + " | ".join(languages) + " |")
        add("|---|" + "---:|" * len(languages))
        for name in names:
            if name == "exit":
                continue
            out = []
            for lang in languages:
                row = cells.get((lang, name))
                if not row:
                    out.append(NA)
                    continue
                status = "" if row["status"] == 200 else f" [{row['status']}]"
                out.append(f"{row['body_bytes']:,}{status}")
            add(f"| {name} | " + " | ".join(out) + " |")
        exit_row = cells.get(("-", "exit"))
        if exit_row:
            add("")
            add(f"`/exit`: {exit_row['status']}, no body, {exit_row['head_bytes']} bytes of head.")
        offenders = [row for row in rows if row["subresources"]]
        if offenders:
            add("")
            add("Pages that reference something a browser would fetch:")
            add("")
            for row in offenders:
                add(f"- {row['lang']} {row['page']}: {', '.join(row['subresources'])}")
        add("")

    if measured:
        add("Headless Chromium (network log, a fresh profile per page, the pages served without their "
            "Content-Security-Policy so that the policy hides nothing), requests to the page's own origin:")
        add("")
        counts = {}
        for url, value in measured.items():
            counts.setdefault(value["requests"], []).append(url.rsplit("/", 1)[-1].removesuffix(".html"))
        for requests, names in sorted(counts.items()):
            add(f"- {requests} request{'s' if requests != 1 else ''}: {', '.join(sorted(names))}")
        failed = [url.rsplit("/", 1)[-1] for url, value in chromium.items()
                  if isinstance(value, dict) and "error" in value]
        if failed:
            add(f"- not measured (Chromium failed): {', '.join(failed)}")
        add("")

    add("## Internal side")
    add("")
    try:
        with open(path("internal.txt"), encoding="utf-8") as handle:
            text = handle.read().strip()
    except OSError:
        text = ""
    add("As printed by `benches/internal-side.sh`:")
    add("")
    add("```")
    add(text or "(no output)")
    add("```")
    add("")
    try:
        with open(path("desk.txt"), encoding="utf-8") as handle:
            desk = handle.read().strip()
    except OSError:
        desk = ""
    if desk:
        add("## Staff desk")
        add("")
        add("As printed by `benches/desk.sh` (with `--desk`; the bounds are in README.md):")
        add("")
        add("```")
        add(desk)
        add("```")
        add("")
    took = f"Measurements took {ENV.get('seconds', NA)} s (builds not counted)"
    if ENV.get("desk_seconds"):
        took += f", and the staff desk {ENV['desk_seconds']} s more, filling its desk included"
    add(took + ".")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
