#!/usr/bin/env bash
# Where porten spends its time under page load: a CPU profile of the landing page served over HTTPS and over
# plain HTTP, printed as Markdown (top symbols, and the time grouped by area).
#
#   bash benches/lib/profile.sh [--work DIR] [--seconds N]
#
# Builds the release binary with its symbols kept (same profile otherwise: fat LTO, one codegen unit) in a
# separate target directory, target/bench-symbols, so the shared release build is not disturbed; the first
# build takes as long as a release build. It is built without the onion service (--no-default-features):
# arti is not on the path of a page served over HTTPS or plain HTTP, and leaving it out saves most of the
# build. Records with `perf` when `perf stat -e instructions true` works,
# else with `valgrind --tool=callgrind` on a short run. Server on CPU 0, wrk on CPU 1, as in run.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LIB=$ROOT/benches/lib
# shellcheck source=benches/lib/common.sh
source "$LIB/common.sh"

WORK=$ROOT/target/bench/profile
SECONDS_RECORDED=8
while [ $# -gt 0 ]; do
    case $1 in
        --work) WORK=$2; shift 2 ;;
        --seconds) SECONDS_RECORDED=$2; shift 2 ;;
        *) bench_die "unknown option $1" ;;
    esac
done
rm -rf "$WORK"
mkdir -p "$WORK"
trap bench_cleanup EXIT
export BENCH_PIN=${BENCH_PIN:-1}

cd "$ROOT"
bench_log "building porten with symbols (target/bench-symbols)"
CARGO_PROFILE_RELEASE_STRIP=none CARGO_PROFILE_RELEASE_DEBUG=false \
    cargo build --release --bin porten --no-default-features --target-dir "$ROOT/target/bench-symbols" \
        2>"$WORK/build.log" \
    || { tail -n 20 "$WORK/build.log"; bench_die "build failed"; }
BIN=$ROOT/target/bench-symbols/release/porten

TOOL=valgrind
if command -v perf >/dev/null && perf stat -e instructions true >/dev/null 2>&1; then
    TOOL=perf
fi

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost -days 2 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
HTTPS_PORT=$(bench_free_port)
HTTP_PORT=$(bench_free_port)
cat >"$WORK/porten.toml" <<EOF
data_dir = "$WORK/data"
[https]
listen = "127.0.0.1:$HTTPS_PORT"
cert = "$WORK/cert.pem"
key = "$WORK/key.pem"
[http]
listen = "127.0.0.1:$HTTP_PORT"
EOF

start_porten() { # prefix…
    "$@" "$BIN" serve --config "$WORK/porten.toml" 2>>"$WORK/porten.log" &
    PORTEN=$!
    bench_track "$PORTEN"
    bench_wait_port "$HTTPS_PORT" 120 || bench_die "porten did not start"
    sleep 1
}

record_perf() { # name url
    local name=$1 url=$2
    # shellcheck disable=SC2046
    $(bench_pin 1) wrk -t1 -c32 -d$((SECONDS_RECORDED + 4))s "$url" >"$WORK/wrk-$name.txt" 2>&1 &
    local load=$!
    bench_track "$load"
    sleep 2
    perf record -F 1999 -p "$PORTEN" -o "$WORK/perf-$name.data" -- sleep "$SECONDS_RECORDED" \
        >/dev/null 2>"$WORK/perf-record-$name.log" || true
    wait "$load" || true
    perf report -i "$WORK/perf-$name.data" --no-children --sort symbol --stdio --percent-limit 0.4 \
        2>/dev/null | grep -E '^ +[0-9]' >"$WORK/top-$name.txt" || true
    perf report -i "$WORK/perf-$name.data" --no-children --sort dso --stdio 2>/dev/null \
        | grep -E '^ +[0-9]' >"$WORK/dso-$name.txt" || true
    perf report -i "$WORK/perf-$name.data" --no-children --sort symbol --stdio --percent-limit 0 \
        2>/dev/null | grep -E '^ +[0-9]' >"$WORK/all-$name.txt" || true
}

record_callgrind() { # name url
    local name=$1 url=$2
    bench_stop "$PORTEN"
    # shellcheck disable=SC2046
    start_porten $(bench_pin 0) valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind-$name.out"
    # shellcheck disable=SC2046
    $(bench_pin 1) wrk -t1 -c8 -d"${SECONDS_RECORDED}s" "$url" >"$WORK/wrk-$name.txt" 2>&1 || true
    bench_stop "$PORTEN"
    callgrind_annotate "$WORK/callgrind-$name.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | head -n 40 \
        | awk '{ gsub(",", "", $1); print }' >"$WORK/callgrind-$name.txt" || true
}

# shellcheck disable=SC2046
start_porten $(bench_pin 0)
echo "# Profile of porten under page load ($TOOL)"
echo
for run in "https https://127.0.0.1:$HTTPS_PORT/sv/" "http http://127.0.0.1:$HTTP_PORT/sv/"; do
    set -- $run
    bench_log "profiling the landing page over $1"
    if [ "$TOOL" = perf ]; then
        record_perf "$1" "$2"
        echo "## Landing page over $1: $(grep -m1 'Requests/sec' "$WORK/wrk-$1.txt" || echo 'n/a')"
        echo
        echo "Time by area (self time of every sampled symbol, grouped):"
        echo
        python3 "$LIB/perf_areas.py" "$WORK/all-$1.txt"
        echo
        echo "Top symbols (self time, ≥ 0.4 %):"
        echo
        echo '```'
        head -n 30 "$WORK/top-$1.txt" | sed 's/[[:space:]]*-[[:space:]]*-[[:space:]]*$//' 
        echo '```'
        echo
        echo "By object:"
        echo
        echo '```'
        head -n 8 "$WORK/dso-$1.txt" | sed 's/[[:space:]]*$//' 
        echo '```'
    else
        record_callgrind "$1" "$2"
        # shellcheck disable=SC2046
        start_porten $(bench_pin 0)
        echo "## Landing page over $1 (callgrind, instructions)"
        echo
        echo '```'
        cat "$WORK/callgrind-$1.txt"
        echo '```'
    fi
    echo
done
