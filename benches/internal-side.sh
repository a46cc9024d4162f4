#!/usr/bin/env bash
# The internal side's two figures, on loopback with the real binaries:
#
#   1. delivery latency: from a visitor's submit (the form POST) until the envelope's file is in the inbox's
#      spool, median (and 90th percentile) over BENCH_REQUESTS sequential first contacts, the inbox long-polling;
#   2. drain rate: envelopes per second the inbox delivers (open, spool file written and fsynced, audit line,
#      ack) from a backlog of BENCH_BACKLOG envelopes queued while it was stopped.
#
#   bash benches/internal-side.sh                          release build, 100 requests, backlog 10000
#   BENCH_PROFILE=dev bash benches/internal-side.sh        debug build (quick to build, slower to run)
#   BENCH_REQUESTS=20 BENCH_BACKLOG=1000 bash benches/internal-side.sh
#
# The gateway runs with small Argon2id parameters (1 MiB, 1 pass) and no submission rate limit, so the
# figures are about the outbox, the internal API and the inbox, not the key derivation (measure that apart).
# Each phase has a time limit, so a run takes at most about four minutes after the build; the build itself
# is not counted. Needs curl and python3. Everything it starts is stopped on exit, and its files are deleted.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=benches/lib/common.sh
source benches/lib/common.sh

REQUESTS=${BENCH_REQUESTS:-100}
BACKLOG=${BENCH_BACKLOG:-10000}
PROFILE=${BENCH_PROFILE:-release}
FILL_LIMIT=${BENCH_FILL_LIMIT:-150}   # seconds for queueing the backlog
DRAIN_LIMIT=${BENCH_DRAIN_LIMIT:-60}  # seconds for draining it
PARALLEL=${BENCH_PARALLEL:-4}         # concurrent submitters while queueing

command -v curl >/dev/null || bench_die "curl is needed"
command -v python3 >/dev/null || bench_die "python3 is needed"

bench_log "building ($PROFILE)"
cargo build --quiet --profile "$PROFILE" --workspace --bin porten --bin porten-inbox
target_dir=${CARGO_TARGET_DIR:-$PWD/target}
case $PROFILE in
    dev) bin_dir=$target_dir/debug ;;
    *) bin_dir=$target_dir/$PROFILE ;;
esac
PORTEN=$bin_dir/porten
INBOX=$bin_dir/porten-inbox

work=$(mktemp -d)
finish() {
    bench_cleanup
    rm -rf "$work"
}
trap finish EXIT

"$INBOX" certs --out "$work/certs" >/dev/null
recipient=$("$INBOX" keygen --out "$work/identity.txt" | sed -n 's/^recipients = \["\(age1[a-z0-9]*\)"\]$/\1/p')
pin=$("$INBOX" pin --cert "$work/certs/inbox.pem" | sed -n 's/^client_spki = \["\(sha256\/[A-Za-z0-9+\/=]*\)"\]$/\1/p')
[ -n "$recipient" ] || bench_die "keygen printed no recipient"
http_port=$(bench_free_port)
https_port=$(bench_free_port)
internal_port=$(bench_free_port)

cat >"$work/porten.toml" <<EOF
data_dir = "$work/data"
[https]
listen = "127.0.0.1:$https_port"
[http]
listen = "127.0.0.1:$http_port"
[limits]
submissions_per_minute = 10000000
submission_burst = 1000000
forms_per_minute = 10000000
form_burst = 1000000
[limits.per_source]
connections = 100000
submissions_per_minute = 10000000
submission_burst = 1000000
forms_per_minute = 10000000
form_burst = 1000000
[ticket.kdf]
memory_kib = 1024
iterations = 1
parallelism = 1
[outbox]
recipients = ["$recipient"]
[internal_api]
enabled = true
listen = "127.0.0.1:$internal_port"
cert = "$work/certs/gateway.pem"
key = "$work/certs/gateway-key.pem"
client_ca = "$work/certs/ca.pem"
client_spki = ["$pin"]
[log]
level = "warn"
EOF

cat >"$work/inbox.toml" <<EOF
gateway = "https://localhost:$internal_port"
gateway_ca = "$work/certs/ca.pem"
client_cert = "$work/certs/inbox.pem"
client_key = "$work/certs/inbox-key.pem"
identity = "$work/identity.txt"
state_dir = "$work/state"
spool_dir = "$work/spool"
wait_secs = 30
[desk]
listen = "127.0.0.1:0"
[log]
level = "warn"
EOF

start_inbox() {
    "$INBOX" run --config "$work/inbox.toml" 2>>"$work/inbox.log" &
    inbox_pid=$!
    bench_track "$inbox_pid"
}

# Files in the spool (dot-files being written are not counted).
spooled() {
    local files
    shopt -s nullglob
    files=("$work"/spool/*.json)
    shopt -u nullglob
    echo "${#files[@]}"
}

# A fresh form token from the contact form, opened as the landing page's button does (an empty post).
fetch_token() {
    curl -sS -X POST -H 'origin: null' -H 'sec-fetch-site: same-origin' \
        -H 'content-type: application/x-www-form-urlencoded' --data '' "http://127.0.0.1:$http_port/sv/contact" |
        sed -n 's/.*name="token" value="\([^"]*\)".*/\1/p' | head -n 1
}

# Posts the contact form as a browser would (plain-HTTP listener). Prints the status.
post_contact() {
    curl -sS -o /dev/null -w '%{http_code}' \
        -H 'origin: null' -H 'sec-fetch-site: same-origin' \
        --data-urlencode "token=$1" --data-urlencode "group=exposed" \
        --data-urlencode "message=$2" --data-urlencode "reply_language=sv" --data-urlencode "website=" \
        "http://127.0.0.1:$http_port/sv/contact"
}


now_ns() { date +%s%N; }

percentile() { # $1 = percentile (0-100); numbers on stdin
    sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } i = int((NR - 1) * p / 100) + 1; print v[i] }'
}

bench_log "starting the gateway"
"$PORTEN" serve --config "$work/porten.toml" 2>>"$work/porten.log" &
gateway_pid=$!
bench_track "$gateway_pid"
bench_wait_port "$http_port" 60 || bench_die "the gateway did not start; see its log: $(tail -n 5 "$work/porten.log")"
bench_wait_port "$internal_port" 10 || bench_die "the internal API did not start"
start_inbox

# Phase 1: latency, one request at a time, the inbox waiting in a long poll.
bench_log "latency: $REQUESTS sequential first contacts"
: >"$work/latency_ms"
: >"$work/post_ms"
phase_end=$(($(date +%s) + 90))
for i in $(seq 1 "$REQUESTS"); do
    before=$(spooled)
    token=$(fetch_token)
    t0=$(now_ns)
    status=$(post_contact "$token" "Latency probe $i")
    t_post=$(now_ns)
    [ "$status" = 200 ] || bench_die "submit $i answered $status"
    while [ "$(spooled)" -le "$before" ]; do
        [ "$(date +%s)" -lt "$phase_end" ] || bench_die "latency phase over its time limit"
        sleep 0.002
    done
    t1=$(now_ns)
    echo $(((t1 - t0) / 1000)) | awk '{ printf "%.1f\n", $1 / 1000 }' >>"$work/latency_ms"
    echo $(((t_post - t0) / 1000)) | awk '{ printf "%.1f\n", $1 / 1000 }' >>"$work/post_ms"
done
latency_median=$(percentile 50 <"$work/latency_ms")
latency_p90=$(percentile 90 <"$work/latency_ms")
post_median=$(percentile 50 <"$work/post_ms")

# Phase 2: a backlog queued while the inbox is stopped, then drained.
bench_stop "$inbox_pid"
bench_log "queueing a backlog of $BACKLOG envelopes ($PARALLEL submitters, at most ${FILL_LIMIT}s)"
fill_start=$(now_ns)
# Python with keep-alive connections: forking two curls per envelope would measure the shell, not porten.
python3 - "$http_port" "$BACKLOG" "$PARALLEL" "$FILL_LIMIT" <<'PY'
import http.client, re, sys, threading, time, urllib.parse
port, total, workers, limit = (int(a) for a in sys.argv[1:5])
deadline = time.monotonic() + limit
lock = threading.Lock()
state = {"next": 0}
token_re = re.compile(rb'name="token" value="([^"]*)"')
def work():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.monotonic() < deadline:
        with lock:
            if state["next"] >= total:
                return
            state["next"] += 1
            n = state["next"]
        conn.request("POST", "/sv/contact", "", {"origin": "null", "sec-fetch-site": "same-origin",
            "content-type": "application/x-www-form-urlencoded"})
        page = conn.getresponse().read()
        token = token_re.search(page).group(1).decode()
        body = urllib.parse.urlencode({"token": token, "group": "exposed", "reply_language": "sv",
            "message": f"Benchmark message number {n}: jag behöver prata med någon.", "website": ""})
        conn.request("POST", "/sv/contact", body, {"origin": "null", "sec-fetch-site": "same-origin",
            "content-type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"submit {n} answered {response.status}")
threads = [threading.Thread(target=work) for _ in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
PY
fill_end=$(now_ns)
already=$(spooled)
"$INBOX" status --config "$work/inbox.toml" >"$work/status.txt" 2>&1 || bench_die "status failed: $(cat "$work/status.txt")"
backlog=$(awk '$1 == "porten_outbox_pending" { print $2 }' "$work/status.txt")
[ -n "$backlog" ] && [ "$backlog" -gt 0 ] || bench_die "no backlog was queued"
queue_rate=$(awk -v n="$backlog" -v ns=$((fill_end - fill_start)) 'BEGIN { printf "%.0f", n / (ns / 1e9) }')
[ "$backlog" -lt "$BACKLOG" ] && bench_log "only $backlog envelopes were queued within ${FILL_LIMIT}s; draining those"

bench_log "draining $backlog envelopes (at most ${DRAIN_LIMIT}s)"
target=$((already + backlog))
drain_start=$(now_ns)
start_inbox
drain_deadline=$(($(date +%s) + DRAIN_LIMIT))
while [ "$(spooled)" -lt "$target" ] && [ "$(date +%s)" -lt "$drain_deadline" ]; do
    sleep 0.05
done
drain_end=$(now_ns)
drained=$(($(spooled) - already))
drain_secs=$(awk -v ns=$((drain_end - drain_start)) 'BEGIN { printf "%.2f", ns / 1e9 }')
drain_rate=$(awk -v n="$drained" -v s="$drain_secs" 'BEGIN { printf "%.0f", n / s }')

cat <<EOF

porten internal side ($PROFILE build, $(nproc) CPUs, small KDF)
  delivery latency, submit → spool file   median ${latency_median} ms, p90 ${latency_p90} ms   ($REQUESTS requests)
    of which the form POST itself          median ${post_median} ms
  backlog queued                           $backlog envelopes at ${queue_rate}/s ($PARALLEL submitters)
  backlog drained                          $drained of $backlog in ${drain_secs} s = ${drain_rate} envelopes/s
EOF
if [ -n "${BENCH_RESULTS:-}" ]; then
    bench_result internal_latency_median_ms "$latency_median"
    bench_result internal_latency_p90_ms "$latency_p90"
    bench_result internal_drain_per_second "$drain_rate"
fi
[ "$drained" -eq "$backlog" ] || bench_die "the drain did not finish within ${DRAIN_LIMIT}s"
