#!/usr/bin/env bash
# End-to-end proof of the onion service crate on a private Tor network:
# start the network (net.sh), run onion-service/examples/hello.rs, fetch "hello" through the
# onion address with a C tor client, restart the example, fetch again through the same
# address, and stop everything.
#
#   tests/tor-network/smoke.sh [DIR]     DIR: working folder (default: a new temporary one)
#
# Environment: TOR_NET_BASE_PORT (see net.sh), SMOKE_PROFILE=release for an optimised build,
# SMOKE_DEADLINE seconds allowed for each fetch (default 300), SMOKE_PROOF_OF_WORK=false to
# run with proof of work off (then the descriptor must carry no PoW parameters),
# SMOKE_VANGUARDS=lite|full|disabled (default lite).
# Prints the timings, the example's memory use and whether proof of work was on.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIR=${1:-$(mktemp -d /tmp/porten-onion-smoke.XXXXXX)}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
DEADLINE=${SMOKE_DEADLINE:-300}
PROFILE=${SMOKE_PROFILE:-debug}
PROOF_OF_WORK=${SMOKE_PROOF_OF_WORK:-true}
VANGUARDS=${SMOKE_VANGUARDS:-lite}
HELLO_PID=

fail() {
    echo "smoke: FAIL: $*" >&2
    exit 1
}

cleanup() {
    if [ -n "$HELLO_PID" ] && kill -0 "$HELLO_PID" 2>/dev/null; then
        kill "$HELLO_PID" 2>/dev/null || true
        wait "$HELLO_PID" 2>/dev/null || true
    fi
    "$HERE/net.sh" stop "$DIR/net" >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "smoke: building the example ($PROFILE)"
build_flags=(-p porten-onion --features arti --example hello)
[ "$PROFILE" = release ] && build_flags+=(--release)
(cd "$ROOT" && cargo build "${build_flags[@]}" -j 2 2>&1 | tail -1)
HELLO="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/examples/hello"
[ -x "$HELLO" ] || fail "no example binary at $HELLO"

start=$SECONDS
"$HERE/net.sh" start "$DIR/net"
# shellcheck source=/dev/null
. "$DIR/net/env"

CONFIG="$DIR/hello.toml"
{
    echo "data_dir = \"$DIR/data\""
    echo "[onion]"
    echo "enabled = true"
    echo "proof_of_work = $PROOF_OF_WORK"
    echo "vanguards = \"$VANGUARDS\""
    echo
    cat "$TOR_NET_TOML"
} >"$CONFIG"

run_hello() {
    RUST_LOG="info,tor_netdir=error,tor_hsservice::pow=debug" NO_COLOR=1 \
        "$HELLO" "$CONFIG" >>"$DIR/hello.log" 2>&1 &
    HELLO_PID=$!
}

# SIGTERM, as systemd stops the gateway; it must be gone within 10 s.
stop_hello() {
    local until=$((SECONDS + 10))
    kill "$HELLO_PID"
    while kill -0 "$HELLO_PID" 2>/dev/null; do
        [ $SECONDS -lt $until ] || fail "the example did not stop within 10 s of SIGTERM"
        sleep 0.1
    done
    wait "$HELLO_PID" 2>/dev/null || true
    HELLO_PID=
}

# Fetch through the onion until "hello" comes back or the deadline passes.
fetch_hello() {
    local address=$1 until=$((SECONDS + DEADLINE)) body
    while [ $SECONDS -lt $until ]; do
        kill -0 "$HELLO_PID" 2>/dev/null || fail "the example exited; see $DIR/hello.log"
        body=$(curl -s --max-time 30 --socks5-hostname "127.0.0.1:$TOR_SOCKS_PORT" \
            "http://$address/" 2>/dev/null || true)
        if [ "$body" = hello ]; then
            return 0
        fi
        sleep 2
    done
    fail "no answer through $address within $DEADLINE s; see $DIR/hello.log and $DIR/net/nodes/client/notice.log"
}

run_hello
launched=$SECONDS
address=
for _ in $(seq 100); do
    address=$(sed -n 's/^onion address: //p' "$DIR/hello.log" | head -1)
    [ -n "$address" ] && break
    sleep 0.1
done
case $address in
*.onion) ;;
*) fail "the example printed no onion address; see $DIR/hello.log" ;;
esac
echo "smoke: service address $address"

fetch_hello "$address"
first_fetch=$SECONDS
rss_kb=$(awk '/^VmRSS/{print $2}' "/proc/$HELLO_PID/status")
echo "smoke: first fetch OK, $((first_fetch - start)) s after network start ($((first_fetch - launched)) s after the service launched)"

# A port other than 80 must not be served.
if curl -s --max-time 30 --socks5-hostname "127.0.0.1:$TOR_SOCKS_PORT" "http://$address:8080/" >/dev/null 2>&1; then
    fail "port 8080 answered; only port 80 may be served"
fi
echo "smoke: port 8080 refused, as it should be"

stored=$("$HELLO" "$CONFIG" address)
[ "$stored" = "$address" ] || fail "stored address $stored differs from the running one $address"
echo "smoke: stored address matches without bootstrapping"

stop_hello
echo "smoke: example stopped on SIGTERM"
restarted=$SECONDS
run_hello
fetch_hello "$address"
second_fetch=$SECONDS
again=$(sed -n 's/^onion address: //p' "$DIR/hello.log" | tail -1)
[ "$again" = "$address" ] || fail "address changed after restart: $again"
echo "smoke: fetch after restart OK, same address, $((second_fetch - restarted)) s after the restart"

# The C tor client logs the proof-of-work parameters it finds in the service's descriptor.
pow_line=$(grep -o "PoW params present in descriptor, suggested_effort=[0-9]*" \
    "$DIR/net/nodes/client/rend.log" | tail -1 || true)
if [ "$PROOF_OF_WORK" = true ]; then
    [ -n "$pow_line" ] || fail "proof of work is on but the client saw no PoW parameters in the descriptor"
    pow="on (client saw: $pow_line)"
else
    [ -z "$pow_line" ] || fail "proof of work is off but the client saw: $pow_line"
    pow="off (the client saw no PoW parameters)"
fi
echo "smoke: example RSS ${rss_kb} kB after the first fetch; proof of work: $pow"
echo "smoke: status lines:"
grep "porten_onion" "$DIR/hello.log" | sed 's/^[^ ]* *//' | cut -c1-160 | sed 's/^/  /'
echo "smoke: PASS (total $((SECONDS - start)) s; logs in $DIR)"
