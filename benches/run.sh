#!/usr/bin/env bash
# porten's benchmarks: footprint and speed, each figure beside a reference server measured in the same run.
#
# Builds the release binary (also without and with the onion service, for size and dependency count), then
# measures on loopback: the landing page over HTTPS and over plain HTTP against nginx serving the
# byte-identical page with the same certificate and headers (wrk, keep-alive); first-contact submissions per
# second with the Argon2id pool saturated at the real default parameters, and landing-page latency meanwhile;
# returns with a code per second; resident memory; cold start to the first served page; bytes and requests
# per page for every page and language; and the internal side's figures when benches/internal-side.sh
# exists; with --desk also the staff desk's pages over a year of cases (benches/desk.sh). Prints the results
# (Markdown) and writes them to a file. How to read them: benches/README.md.
#
#   bash benches/run.sh                             # writes target/bench/RESULTS.md
#   bash benches/run.sh --priority --out benches/RESULTS.md   # the committed results
#   bash benches/run.sh --priority --desk --out benches/RESULTS.md   # … with the staff desk (+ 2–5 min)
#   bash benches/run.sh --quick --no-build          # short runs, to try the script
#
# Options:
#   --out FILE    where to write the results (default target/bench/RESULTS.md)
#   --quick       short runs (3 s instead of 10 s per wrk run, fewer cold starts)
#   --no-build    measure the existing target/release/porten; sizes of the variants are then n/a
#   --no-onion    do not build the variants without and with the onion service
#   --no-pin      no CPU pinning
#   --priority    servers and load generators at nice -10, ahead of other work on a shared machine (root)
#   --profile     also record a perf profile of page load (benches/lib/profile.sh) into the work directory
#   --desk        also the staff desk with 10,000 cases and 100,000 messages (benches/desk.sh); it builds and
#                 fills its own desk, outside the time budget, within BENCH_DESK_LIMIT seconds (1500)
# Environment: BENCH_DURATION (seconds per wrk run, 10), BENCH_CONNECTIONS (32), BENCH_THREADS (wrk
# threads, 1), BENCH_BUDGET (seconds for the measurements, 540), BENCH_ONION_BUILD_TIMEOUT (seconds, 1800),
# BENCH_CHROMIUM (landing: every landing page and every page in sv; all; off).
#
# Servers listen on 127.0.0.1 only, on free ports; every process started here is stopped on exit (trap).
# With pinning (the default, on a machine with two CPUs or more) the server under test runs on CPU 0 and
# the load generators on CPU 1: each server gets exactly one core, and the client never takes the server's.
# Builds are not counted in the time budget; after the first run they are relinks at most.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LIB=$ROOT/benches/lib
# shellcheck source=benches/lib/common.sh
source "$LIB/common.sh"

OUT=$ROOT/target/bench/RESULTS.md
BUILD=1
ONION=1
PROFILE=0
DESK=0
DURATION=${BENCH_DURATION:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-1}
BUDGET=${BENCH_BUDGET:-540}
ONION_BUILD_TIMEOUT=${BENCH_ONION_BUILD_TIMEOUT:-1800}
CHROMIUM=${BENCH_CHROMIUM:-landing}
SUBMIT_SECONDS=20
RETURN_SECONDS=15
PROBE_SECONDS=10
COLD_RUNS=5
export BENCH_PIN=${BENCH_PIN:-1}
COMMAND_LINE="bash benches/run.sh $*"

while [ $# -gt 0 ]; do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        --quick) DURATION=3; SUBMIT_SECONDS=8; RETURN_SECONDS=5; PROBE_SECONDS=4; COLD_RUNS=2; shift ;;
        --no-build) BUILD=0; shift ;;
        --no-onion) ONION=0; shift ;;
        --no-pin) BENCH_PIN=0; shift ;;
        --priority) export BENCH_NICE=-10; shift ;;
        --profile) PROFILE=1; shift ;;
        --desk) DESK=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) bench_die "unknown option $1 (try --help)" ;;
    esac
done
case $OUT in /*) ;; *) OUT=$PWD/$OUT ;; esac

WORK=$ROOT/target/bench/work
rm -rf "$WORK"
mkdir -p "$WORK"/{site,snapshots,nginx/logs,nginx/tmp,data,cold}
BENCH_RESULTS=$WORK/results.env
: >"$BENCH_RESULTS"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------
# Tools: wrk and nginx from Debian, installed once; apt-get update only when something is missing.
# ---------------------------------------------------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || need+=(nginx-light)
command -v openssl >/dev/null || need+=(openssl)
command -v taskset >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
    bench_log "installing ${need[*]}"
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
# Debian starts the packaged nginx as a service on install; it listens on :80, which nothing here uses.
command -v wrk >/dev/null && command -v nginx >/dev/null || bench_die "wrk and nginx are needed"
[ "$(nproc)" -ge 2 ] || { bench_log "one CPU only: pinning off"; BENCH_PIN=0; }

# ---------------------------------------------------------------------------------------------------------
# Build: release, stripped (the profile in Cargo.toml); the onion variant when it builds.
# ---------------------------------------------------------------------------------------------------------
cd "$ROOT"
# Three builds of the same sources: the default features (what `cargo build --release` gives an operator;
# this one is measured), without the onion service, and with it. Cargo keeps each one's artifacts, so after
# the first run a rebuild is only a relink. The default build runs last so that target/release/porten is
# the default binary again afterwards.
tree_count() { # cargo tree arguments…
    cargo tree -e normal --prefix none -p porten "$@" 2>/dev/null | sed 's/ (\*)$//; s/ (proc-macro)$//' \
        | sort -u | grep -c . || true
}
build_variant() { # name seconds "feature arguments" ["more cargo arguments"]
    local name=$1 limit=$2 features=$3 more=${4:-} why
    bench_log "building the release binary: $name (${features:-default features})"
    # shellcheck disable=SC2086
    if timeout "$limit" cargo build --release --bin porten $features $more 2>"$WORK/build-$name.log"; then
        cp "$ROOT/target/release/porten" "$WORK/porten-$name"
        bench_result "size_$name" "$(stat -c %s "$WORK/porten-$name")"
    else
        why=$(grep -m1 -E '^error' "$WORK/build-$name.log" | cut -c1-100 || true)
        bench_result "size_$name" "n/a (${why:-the build did not finish within ${limit}s})"
    fi
    # shellcheck disable=SC2086
    bench_result "crates_$name" "$(tree_count $features)"
    [ -x "$WORK/porten-$name" ]
}
if [ "$BUILD" = 1 ]; then
    if [ "$ONION" = 1 ]; then
        build_variant plain 1800 --no-default-features || true
        build_variant onion "$ONION_BUILD_TIMEOUT" "--features onion" || true
    fi
    bench_log "building the bare key-derivation benchmark (benches/kdf.rs)"
    cargo bench --no-default-features --bench kdf --no-run 2>"$WORK/build-kdf.log" || true
    # porten-inbox too, so that benches/internal-side.sh finds its release build ready (and benches/desk.sh
    # its desk filler).
    desk_build=; [ "$DESK" = 1 ] && desk_build=" --example populate_desk"
    build_variant default 1800 "" "--workspace --bin porten-inbox$desk_build" || { tail -n 30 "$WORK/build-default.log"; bench_die "release build failed"; }
else
    [ -x "$ROOT/target/release/porten" ] || bench_die "no target/release/porten (build it, or run without --no-build)"
    cp "$ROOT/target/release/porten" "$WORK/porten-default"
    bench_result size_default "$(stat -c %s "$WORK/porten-default")"
fi
bench_result default_features "$(sed -n '/^\[features\]/,/^\[/s/^default *= *//p' "$ROOT/Cargo.toml" | head -n1)"
[ "$(bench_result_of size_plain)" ] || bench_result size_plain "n/a (not built: --no-onion or --no-build)"
[ "$(bench_result_of size_onion)" ] || bench_result size_onion "n/a (not built: --no-onion or --no-build)"
[ "$(bench_result_of crates_plain)" ] || bench_result crates_plain "$(tree_count --no-default-features)"
[ "$(bench_result_of crates_onion)" ] || bench_result crates_onion "$(tree_count --features onion)"
BIN=$WORK/porten-default

START=$(date +%s)
remaining() { echo $((BUDGET - ($(date +%s) - START))); }

# ---------------------------------------------------------------------------------------------------------
# One certificate for both servers (ECDSA P-256, like a typical Let's Encrypt one), and the configurations.
# ---------------------------------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -days 2 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
read -r P_HTTPS P_HTTP N_HTTPS N_HTTP C_HTTPS C_HTTP <<<"$(bench_free_ports 6 | tr '\n' ' ')"

porten_config() { # data_dir https_port http_port
    cat <<EOF
# Benchmark configuration: the defaults (examples/porten.toml), with loopback ports, the benchmark's
# certificate, and the global submission and code-attempt limits raised so that they do not cap the load.
# The key derivation keeps its real parameters (m = 64 MiB, t = 3, p = 1) with one permit: the server has
# one core, and the bare derivation rate on that core is measured beside it.
data_dir = "$1"
[https]
listen = "127.0.0.1:$2"
cert = "$WORK/cert.pem"
key = "$WORK/key.pem"
[http]
listen = "127.0.0.1:$3"
[limits]
submissions_per_minute = 1000000
submission_burst = 100000
code_attempts_per_minute = 1000000
code_attempt_burst = 100000
forms_per_minute = 1000000
form_burst = 100000
[limits.per_source]
connections = 100000
submissions_per_minute = 1000000
submission_burst = 100000
code_attempts_per_minute = 1000000
code_attempt_burst = 100000
forms_per_minute = 1000000
form_burst = 100000
[ticket]
kdf_permits = 1
EOF
}
porten_config "$WORK/data" "$P_HTTPS" "$P_HTTP" >"$WORK/porten.toml"
porten_config "$WORK/cold/data" "$C_HTTPS" "$C_HTTP" >"$WORK/cold.toml"
"$BIN" check-config --config "$WORK/porten.toml" >/dev/null || bench_die "the benchmark configuration is refused"

# ---------------------------------------------------------------------------------------------------------
# Cold start to the first served page (before anything else runs).
# ---------------------------------------------------------------------------------------------------------
bench_log "cold start (${COLD_RUNS} runs each)"
# shellcheck disable=SC2046
timeout 120 python3 "$LIB/coldstart.py" --port "$C_HTTPS" --data-dir "$WORK/cold/data" --runs "$COLD_RUNS" \
    --log "$WORK/cold/porten.log" -- $(bench_pin 0) "$BIN" serve --config "$WORK/cold.toml" >"$WORK/coldstart.json" \
    || echo '{}' >"$WORK/coldstart.json"

# ---------------------------------------------------------------------------------------------------------
# The gateway under test.
# ---------------------------------------------------------------------------------------------------------
bench_log "starting porten on 127.0.0.1:$P_HTTPS (HTTPS) and :$P_HTTP (HTTP)"
# shellcheck disable=SC2046
$(bench_pin 0) "$BIN" serve --config "$WORK/porten.toml" 2>"$WORK/porten.log" &
PORTEN=$!
bench_track "$PORTEN"
for _ in $(seq 1 200); do grep -qs "porten is ready" "$WORK/porten.log" && break; sleep 0.05; done
grep -q "porten is ready" "$WORK/porten.log" || { cat "$WORK/porten.log"; bench_die "porten did not start"; }
sleep 2
bench_result rss_idle_kb "$(bench_status_kb "$PORTEN" VmRSS)"
bench_result threads_idle "$(bench_status_kb "$PORTEN" Threads)"

# The page nginx serves: exactly the bytes porten sent, and porten's headers, bar the per-response ones.
curl -sk -D "$WORK/landing.head" -o "$WORK/site/landing.html" "https://127.0.0.1:$P_HTTPS/sv/"
bench_result landing_bytes "$(stat -c %s "$WORK/site/landing.html")"
add_headers() { # transport
    tr -d '\r' <"$WORK/landing.head" | while IFS= read -r line; do
        name=${line%%:*}; value=${line#*: }
        case ${name,,} in
            ""|http/*|content-type|content-length|date|connection) continue ;;
            strict-transport-security) [ "$1" = https ] || continue ;;
        esac
        printf '      add_header %s "%s" always;\n' "$name" "$value"
    done
}

# ---------------------------------------------------------------------------------------------------------
# Bytes and requests per page, every page and language (also saves every page for the browser check).
# ---------------------------------------------------------------------------------------------------------
bench_log "bytes and requests per page"
timeout 120 python3 "$LIB/pages.py" --port "$P_HTTPS" --snapshots "$WORK/snapshots" >"$WORK/pages.json" \
    || echo '{"error": "pages.py failed"}' >"$WORK/pages.json"

# ---------------------------------------------------------------------------------------------------------
# nginx: one worker, TLS 1.3, the same certificate, page and headers; keep-alive without a request cap.
# ---------------------------------------------------------------------------------------------------------
USER_LINE=; [ "$(id -u)" = 0 ] && USER_LINE="user root root;"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
$USER_LINE
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  etag off;
  types { }
  default_type "text/html; charset=utf-8";
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$N_HTTPS ssl;
    ssl_certificate $WORK/cert.pem;
    ssl_certificate_key $WORK/key.pem;
    ssl_protocols TLSv1.3;
    root $WORK/site;
    location = /sv/ {
      try_files /landing.html =404;
$(add_headers https)
    }
  }
  server {
    listen 127.0.0.1:$N_HTTP;
    root $WORK/site;
    location = /sv/ {
      try_files /landing.html =404;
$(add_headers http)
    }
    # Saved pages without a Content-Security-Policy, for the browser's request count.
    location /audit/ { alias $WORK/snapshots/; }
  }
}
EOF
nginx -t -q -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx/" || bench_die "nginx refused the benchmark configuration"
# shellcheck disable=SC2046
$(bench_pin 0) nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx/" -g 'daemon off;' &
NGINX=$!
bench_track "$NGINX"
bench_wait_port "$N_HTTPS" 10 || bench_die "nginx did not start"
NGINX_WORKER=
for _ in $(seq 1 50); do NGINX_WORKER=$(pgrep -P "$NGINX" | head -n1 || true); [ -n "$NGINX_WORKER" ] && break; sleep 0.1; done
[ -n "$NGINX_WORKER" ] || bench_die "no nginx worker"
cmp -s "$WORK/site/landing.html" <(curl -sk "https://127.0.0.1:$N_HTTPS/sv/") || bench_die "nginx does not serve the same bytes"
curl -sk -D "$WORK/nginx.head" -o /dev/null "https://127.0.0.1:$N_HTTPS/sv/"
bench_result nginx_version "$(nginx -v 2>&1 | sed "s/^nginx version: //")"
bench_result nginx_rss_idle_kb "$(( $(bench_status_kb "$NGINX" VmRSS) + $(bench_status_kb "$NGINX_WORKER" VmRSS) ))"
bench_result porten_head_bytes "$(wc -c <"$WORK/landing.head")"
bench_result nginx_head_bytes "$(wc -c <"$WORK/nginx.head")"
cipher() { echo | timeout 5 openssl s_client -connect "127.0.0.1:$1" -tls1_3 2>/dev/null | sed -n 's/.*Cipher is //p' | head -n1; }
bench_result cipher_porten "$(cipher "$P_HTTPS")"
bench_result cipher_nginx "$(cipher "$N_HTTPS")"

if [ "$CHROMIUM" != off ] && command -v chromium >/dev/null; then
    bench_log "requests per page in headless Chromium ($CHROMIUM)"
    urls=()
    for f in "$WORK"/snapshots/*.html; do
        name=$(basename "$f")
        case $CHROMIUM:$name in all:*|landing:*-landing.html|landing:sv-*) urls+=("http://127.0.0.1:$N_HTTP/audit/$name") ;; esac
    done
    # shellcheck disable=SC2046
    timeout 300 $(bench_pin 1) python3 "$LIB/chromium_requests.py" "${urls[@]}" >"$WORK/chromium.json" \
        || echo '{"error": "chromium check failed or timed out"}' >"$WORK/chromium.json"
else
    echo '{"error": "not run"}' >"$WORK/chromium.json"
fi

# ---------------------------------------------------------------------------------------------------------
# Page load: wrk against each server in turn, same parameters; CPU time of the server per request.
# ---------------------------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
run_wrk() { # name url server_pid [connections] [seconds] [warm-up: 1|0]
    local name=$1 url=$2 pid=$3 conns=${4:-$CONNECTIONS} secs=${5:-$DURATION} warm=${6:-1} before after line
    if [ "$warm" = 1 ]; then
        # shellcheck disable=SC2046
        timeout 30 $(bench_pin 1) wrk -t"$THREADS" -c"$conns" -d2s "$url" >/dev/null 2>&1 || true
    fi
    before=$(bench_cpu_ticks "$pid")
    TIMEFORMAT='%U %S'
    # shellcheck disable=SC2046
    { time timeout $((secs + 60)) $(bench_pin 1) wrk -t"$THREADS" -c"$conns" -d"${secs}s" --timeout 10s \
        -s "$LIB/wrk-report.lua" "$url" >"$WORK/wrk-$name.out" 2>&1; } 2>"$WORK/wrk-$name.time" || true
    after=$(bench_cpu_ticks "$pid")
    line=$(grep '^WRK ' "$WORK/wrk-$name.out" || echo "WRK requests=0")
    echo "$line server_cpu_s=$(awk -v t=$((after - before)) -v h="$CLK_TCK" 'BEGIN { printf "%.2f", t / h }') client_cpu_s=$(awk '{ printf "%.2f", $1 + $2 }' "$WORK/wrk-$name.time")" >"$WORK/wrk-$name.txt"
}

bench_log "page load over HTTPS: porten"
rm -f "$WORK/mem-page.stop"
bench_memwatch "$PORTEN" "$WORK/mem-page.kb" "$WORK/mem-page.stop" &
bench_track $!
run_wrk porten-https "https://127.0.0.1:$P_HTTPS/sv/" "$PORTEN"
touch "$WORK/mem-page.stop"
bench_log "page load over HTTPS: nginx"
rm -f "$WORK/mem-nginx.stop"
bench_memwatch "$NGINX_WORKER" "$WORK/mem-nginx.kb" "$WORK/mem-nginx.stop" &
bench_track $!
run_wrk nginx-https "https://127.0.0.1:$N_HTTPS/sv/" "$NGINX_WORKER"
touch "$WORK/mem-nginx.stop"
bench_log "page load over plain HTTP: porten, then nginx"
run_wrk porten-http "http://127.0.0.1:$P_HTTP/sv/" "$PORTEN"
run_wrk nginx-http "http://127.0.0.1:$N_HTTP/sv/" "$NGINX_WORKER"
sleep 0.5
bench_result rss_page_kb "$(cat "$WORK/mem-page.kb" 2>/dev/null || echo)"
bench_result nginx_worker_rss_page_kb "$(cat "$WORK/mem-nginx.kb" 2>/dev/null || echo)"
bench_result nginx_master_rss_kb "$(bench_status_kb "$NGINX" VmRSS)"
bench_result hwm_after_pages_kb "$(bench_status_kb "$PORTEN" VmHWM)"
bench_stop "$NGINX"

# ---------------------------------------------------------------------------------------------------------
# Submissions with the key derivation saturated, and page latency meanwhile (a paced probe: 4 connections,
# one request each every 20 ms, latency without the pause), first alone, then during the submissions.
# ---------------------------------------------------------------------------------------------------------
if [ "$(remaining)" -gt $((PROBE_SECONDS + SUBMIT_SECONDS + RETURN_SECONDS + 40)) ]; then
    bench_log "landing-page latency, paced probe, no other load"
    BENCH_DELAY_MS=20 run_wrk probe-idle "https://127.0.0.1:$P_HTTPS/sv/" "$PORTEN" 4 "$PROBE_SECONDS" 0
    bench_log "first-contact submissions, KDF saturated (${SUBMIT_SECONDS}s), with the probe running"
    rm -f "$WORK/mem-submit.stop"
    bench_memwatch "$PORTEN" "$WORK/mem-submit.kb" "$WORK/mem-submit.stop" &
    bench_track $!
    export BENCH_DELAY_MS=20
    run_wrk probe-submit "https://127.0.0.1:$P_HTTPS/sv/" "$PORTEN" 4 "$SUBMIT_SECONDS" 0 &
    PROBE=$!
    # shellcheck disable=SC2046
    timeout $((SUBMIT_SECONDS + 60)) $(bench_pin 1) python3 "$LIB/formload.py" --mode submit --tls \
        --port "$P_HTTPS" --threads 8 --duration "$SUBMIT_SECONDS" --codes-out "$WORK/codes.txt" \
        >"$WORK/submit.json" || echo '{}' >"$WORK/submit.json"
    wait "$PROBE" || true
    unset BENCH_DELAY_MS
    touch "$WORK/mem-submit.stop"
    sleep 0.3
    bench_result rss_submit_kb "$(cat "$WORK/mem-submit.kb" 2>/dev/null || echo)"
    bench_result hwm_after_submit_kb "$(bench_status_kb "$PORTEN" VmHWM)"
    bench_result rss_after_submit_kb "$(bench_status_kb "$PORTEN" VmRSS)"
    if [ -s "$WORK/codes.txt" ]; then
        bench_log "returns with a code (${RETURN_SECONDS}s)"
        # shellcheck disable=SC2046
        timeout $((RETURN_SECONDS + 60)) $(bench_pin 1) python3 "$LIB/formload.py" --mode return --tls \
            --port "$P_HTTPS" --threads 8 --duration "$RETURN_SECONDS" --codes-in "$WORK/codes.txt" \
            >"$WORK/return.json" || echo '{}' >"$WORK/return.json"
    fi
    bench_result hwm_end_kb "$(bench_status_kb "$PORTEN" VmHWM)"
    # The derivation alone, on the core the gateway ran on, at the niceness its derivation threads have (ten
    # steps below the server's), for as long as the submissions ran: what first contacts are a share of.
    KDF_BIN=$(sed -n 's/.*Executable .*(\(.*\))$/\1/p' "$WORK/build-kdf.log" | tail -n1)
    case "$KDF_BIN" in /*) ;; ?*) KDF_BIN="$ROOT/$KDF_BIN" ;; esac
    if [ -n "$KDF_BIN" ] && [ -x "$KDF_BIN" ]; then
        bench_log "bare Argon2id derivations on CPU 0 (${SUBMIT_SECONDS}s)"
        bench_stop "$PORTEN" 2>/dev/null || true
        kdf_nice=$(( ${BENCH_NICE:-0} + 10 ))
        # shellcheck disable=SC2046
        timeout $((SUBMIT_SECONDS + 60)) nice -n "$kdf_nice" $(BENCH_NICE=0 bench_pin 0) "$KDF_BIN" \
            --seconds "$SUBMIT_SECONDS" >"$WORK/kdf.json" 2>"$WORK/kdf.log" || echo '{}' >"$WORK/kdf.json"
    else
        echo '{}' >"$WORK/kdf.json"
    fi
else
    bench_log "skipping the submission and return runs: time budget spent"
fi

if [ "$PROFILE" = 1 ]; then
    bench_stop "$PORTEN"
    bash "$LIB/profile.sh" --work "$WORK/profile" >"$WORK/profile.txt" 2>"$WORK/profile.log" || true
fi
bench_stop "$PORTEN" 2>/dev/null || true

# ---------------------------------------------------------------------------------------------------------
# The internal side (written and owned separately); its own figures, included as it prints them.
# ---------------------------------------------------------------------------------------------------------
if [ -f "$ROOT/benches/internal-side.sh" ]; then
    left=$(remaining)
    if [ "$left" -gt 60 ]; then
        bench_log "internal side: benches/internal-side.sh (at most $((left - 30))s)"
        # It adds its headline figures to the results file itself (bench_result, when BENCH_RESULTS is set).
        BENCH_RESULTS=$BENCH_RESULTS timeout $((left - 30)) bash "$ROOT/benches/internal-side.sh" >"$WORK/internal.txt" 2>"$WORK/internal.log" || echo "(exit status $?)" >>"$WORK/internal.txt"
    else
        echo "(not run: time budget spent)" >"$WORK/internal.txt"
    fi
else
    echo "(benches/internal-side.sh does not exist yet)" >"$WORK/internal.txt"
fi

bench_result seconds "$(( $(date +%s) - START ))"

# ---------------------------------------------------------------------------------------------------------
# The staff desk with a year of cases (slow: its own switch and its own time limit, outside the budget).
# ---------------------------------------------------------------------------------------------------------
if [ "$DESK" = 1 ]; then
    bench_log "staff desk: benches/desk.sh (at most ${BENCH_DESK_LIMIT:-1500}s)"
    desk_requests=${BENCH_DESK_REQUESTS:-60}
    [ "$DURATION" -lt 10 ] && desk_requests=${BENCH_DESK_REQUESTS:-10}
    desk_start=$(date +%s)
    BENCH_RESULTS=$BENCH_RESULTS BENCH_DESK_WORK=$WORK/desk BENCH_DESK_BUILD=$BUILD \
        BENCH_DESK_REQUESTS=$desk_requests timeout "${BENCH_DESK_LIMIT:-1500}" bash "$ROOT/benches/desk.sh" \
        >"$WORK/desk.txt" 2>"$WORK/desk.log" || echo "(exit status $?; see desk.log)" >>"$WORK/desk.txt"
    bench_result desk_seconds "$(( $(date +%s) - desk_start ))"
fi

# ---------------------------------------------------------------------------------------------------------
# The machine, and the table.
# ---------------------------------------------------------------------------------------------------------
bench_result pinned "$BENCH_PIN"
bench_result nice "${BENCH_NICE:-0}"
bench_result wrk_args "-t$THREADS -c$CONNECTIONS -d${DURATION}s"
bench_result command "$COMMAND_LINE"
bench_result nproc "$(nproc)"
bench_result cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
bench_result memory "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
bench_result kernel "$(uname -sr)"
bench_result os "$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
bench_result rustc "$(rustc --version)"
bench_result wrk_version "$(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
bench_result commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
bench_result date "$(date -u +%Y-%m-%dT%H:%MZ)"
bench_result loadavg "$(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$(dirname "$OUT")"
python3 "$LIB/render.py" "$WORK" >"$OUT"
cat "$OUT"
bench_log "written to $OUT"
