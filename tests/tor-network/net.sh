#!/usr/bin/env bash
# A private Tor network on 127.0.0.1 for testing the onion service without the real Tor
# network: 3 directory authorities (also relays), 5 relays and 1 client, all C tor.
#
#   net.sh start DIR [--wait-client]   build and start the network in DIR (a new or empty folder)
#   net.sh wait-client DIR [SECONDS]   wait until the client has bootstrapped (default 180 s)
#   net.sh stop DIR                    stop every process started in DIR
#
# After `start`, DIR holds:
#   env                    shell variables: TOR_NET_DIR, TOR_SOCKS_PORT, TOR_NET_TOML
#   test-network.toml      the [onion.test_network] section for porten's configuration
#   nodes/NAME/            each node's torrc, data, notice.log and started.pid
#   nodes/client/rend.log  the client's onion-service debug log
#
# Ports: TOR_NET_BASE_PORT (default 17100) and the next 20 must be free on 127.0.0.1.
# Installs Debian's `tor` with apt-get if it is missing.
set -euo pipefail

readonly AUTHORITIES=(auth0 auth1 auth2)
readonly RELAYS=(relay0 relay1 relay2 relay3 relay4)
readonly VOTING_INTERVAL=20
# C tor's time period on a testing network is 24 voting intervals, in minutes; arti takes it
# from the consensus, so the authorities must publish the same value or descriptors are
# looked up under the wrong period.
readonly HSDIR_INTERVAL=$((24 * VOTING_INTERVAL / 60))

die() {
    echo "net.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

ensure_tor() {
    if command -v tor >/dev/null && command -v tor-gencert >/dev/null; then
        return
    fi
    echo "net.sh: installing tor" >&2
    # Update the package lists only when the first try shows they are missing or stale.
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq tor >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get install -y -qq tor >/dev/null; } ||
        die "could not install tor"
}

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Ports, by node index: authorities 0-2, relays 3-7.
or_port() { echo $((BASE + $1)); }
dir_port() { echo $((BASE + 10 + $1)); }

all_nodes() { echo "${AUTHORITIES[@]}" "${RELAYS[@]}"; }

# Whether PID is a running process (a zombie is not: PID 1 here may never reap it).
alive() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Stop the nodes by the PIDs recorded at start (tor deletes its own PidFile while exiting,
# and may linger after that): TERM, a grace period, then KILL.
stop_network() {
    local dir=$1 pidfile pid any
    for pidfile in "$dir"/nodes/*/started.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        alive "$pid" && kill "$pid" 2>/dev/null
    done
    for _ in $(seq 50); do
        any=0
        for pidfile in "$dir"/nodes/*/started.pid; do
            [ -f "$pidfile" ] || continue
            alive "$(cat "$pidfile")" && any=1
        done
        [ "$any" = 0 ] && break
        sleep 0.2
    done
    for pidfile in "$dir"/nodes/*/started.pid; do
        [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        if alive "$pid"; then
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
}

# Start one node as a daemon and record its PID.
start_node() {
    local name=$1 data="$DIR/nodes/$1"
    tor -f "$data/torrc" >"$data/start.log" 2>&1 ||
        die "tor $name did not start; see $data/start.log"
    for _ in $(seq 50); do
        if [ -s "$data/tor.pid" ]; then
            cp "$data/tor.pid" "$data/started.pid"
            return
        fi
        sleep 0.1
    done
    die "tor $name wrote no PID file; see $data/notice.log"
}

common_torrc() {
    local name=$1 data=$2
    cat <<EOF
TestingTorNetwork 1
Nickname $name
DataDirectory $data
PidFile $data/tor.pid
RunAsDaemon 1
Log notice file $data/notice.log
ControlPort 0
PathsNeededToBuildCircuits 0.67
TestingDirAuthVoteExit *
TestingDirAuthVoteHSDir *
TestingDirAuthVoteGuard *
TestingMinExitFlagThreshold 0
V3AuthNIntervalsValid 2
ShutdownWaitLength 0
EOF
    cat "$DIR/dirauthorities"
}

relay_torrc() {
    local index=$1
    cat <<EOF
SocksPort 0
Address 127.0.0.1
ORPort 127.0.0.1:$(or_port "$index")
DirPort 127.0.0.1:$(dir_port "$index")
AssumeReachable 1
ExitRelay 1
ExitPolicyRejectPrivate 0
ExitPolicy accept 127.0.0.0/8:*
ContactInfo porten-test-network@localhost
EOF
}

authority_torrc() {
    cat <<EOF
AuthoritativeDirectory 1
V3AuthoritativeDirectory 1
V3AuthVotingInterval $VOTING_INTERVAL
V3AuthVoteDelay 4
V3AuthDistDelay 4
TestingV3AuthInitialVotingInterval $VOTING_INTERVAL
TestingV3AuthInitialVoteDelay 4
TestingV3AuthInitialDistDelay 4
ConsensusParams hsdir_interval=$HSDIR_INTERVAL
EOF
}

# The relay's identities, from the key files tor writes (RSA hex, ed25519 base64).
make_relay_keys() {
    local name=$1 data=$2
    tor --list-fingerprint --orport 1 --nickname "$name" --datadirectory "$data" \
        --dirserver "x 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff" >/dev/null 2>&1 ||
        die "tor --list-fingerprint failed for $name"
}

start_network() {
    local wait_client=$1 index name data
    mkdir -p "$DIR"
    [ -e "$DIR/nodes" ] && die "$DIR/nodes exists; stop it and use a fresh folder"
    for offset in $(seq 0 20); do
        port_is_free $((BASE + offset)) || die "port $((BASE + offset)) is in use; set TOR_NET_BASE_PORT"
    done
    ensure_tor
    DIR=$(cd "$DIR" && pwd)
    mkdir -p "$DIR/nodes"
    trap 'stop_network "$DIR"' EXIT

    : >"$DIR/dirauthorities"
    index=0
    for name in "${AUTHORITIES[@]}"; do
        data="$DIR/nodes/$name"
        mkdir -m 700 -p "$data/keys"
        (cd "$data/keys" && echo "" | tor-gencert --create-identity-key -m 12 \
            -a "127.0.0.1:$(dir_port $index)" -i authority_identity_key \
            -s authority_signing_key -c authority_certificate --passphrase-fd 0 >/dev/null 2>&1) ||
            die "tor-gencert failed for $name"
        make_relay_keys "$name" "$data"
        local v3ident fingerprint
        v3ident=$(awk '/^fingerprint /{print $2}' "$data/keys/authority_certificate")
        fingerprint=$(awk '{print $2}' "$data/fingerprint")
        echo "DirAuthority $name orport=$(or_port $index) no-v2 v3ident=$v3ident 127.0.0.1:$(dir_port $index) $fingerprint" \
            >>"$DIR/dirauthorities"
        echo "$v3ident" >"$data/v3ident"
        index=$((index + 1))
    done
    for name in "${RELAYS[@]}"; do
        data="$DIR/nodes/$name"
        mkdir -m 700 -p "$data"
        make_relay_keys "$name" "$data"
    done
    mkdir -m 700 -p "$DIR/nodes/client"

    index=0
    for name in "${AUTHORITIES[@]}"; do
        data="$DIR/nodes/$name"
        { common_torrc "$name" "$data"; relay_torrc $index; authority_torrc; } >"$data/torrc"
        index=$((index + 1))
    done
    for name in "${RELAYS[@]}"; do
        data="$DIR/nodes/$name"
        { common_torrc "$name" "$data"; relay_torrc $index; } >"$data/torrc"
        index=$((index + 1))
    done
    {
        common_torrc client "$DIR/nodes/client"
        echo "SocksPort 127.0.0.1:$SOCKS_PORT"
        # Onion-service details, e.g. whether a descriptor carries proof-of-work parameters.
        echo "Log [rend]debug file $DIR/nodes/client/rend.log"
    } >"$DIR/nodes/client/torrc"

    write_outputs
    for name in $(all_nodes) client; do
        start_node "$name"
    done

    wait_for_consensus 180
    if [ "$wait_client" = 1 ]; then
        wait_for_client 180
    fi
    trap - EXIT
    echo "net.sh: network running in $DIR (SOCKS 127.0.0.1:$SOCKS_PORT)"
}

write_outputs() {
    local index=0 name data
    {
        echo "# The local test network's authorities and caches (written by tests/tor-network/net.sh)."
        echo "[onion.test_network]"
        for name in "${AUTHORITIES[@]}"; do
            echo
            echo "[[onion.test_network.authorities]]"
            echo "v3ident = \"$(cat "$DIR/nodes/$name/v3ident")\""
            echo "dir_port = \"127.0.0.1:$(dir_port $index)\""
            index=$((index + 1))
        done
        index=0
        for name in $(all_nodes); do
            data="$DIR/nodes/$name"
            echo
            echo "[[onion.test_network.fallback_caches]]"
            echo "rsa_identity = \"$(awk '{print $2}' "$data/fingerprint")\""
            echo "ed_identity = \"$(awk '{print $2}' "$data/fingerprint-ed25519")\""
            echo "orport = \"127.0.0.1:$(or_port $index)\""
            index=$((index + 1))
        done
    } >"$DIR/test-network.toml"
    cat >"$DIR/env" <<EOF
TOR_NET_DIR=$DIR
TOR_SOCKS_PORT=$SOCKS_PORT
TOR_NET_TOML=$DIR/test-network.toml
EOF
}

# Wait until an authority serves a consensus that lists every relay.
wait_for_consensus() {
    local deadline=$((SECONDS + $1)) relays
    local expected=$((${#AUTHORITIES[@]} + ${#RELAYS[@]}))
    while [ $SECONDS -lt $deadline ]; do
        relays=$(curl -s --max-time 5 "http://127.0.0.1:$(dir_port 0)/tor/status-vote/current/consensus" |
            grep -c '^r ' || true)
        if [ "${relays:-0}" -ge "$expected" ]; then
            echo "net.sh: consensus with $relays relays after ${SECONDS}s"
            return
        fi
        sleep 1
    done
    die "no consensus with $expected relays within $1 s; see $DIR/nodes/*/notice.log"
}

wait_for_client() {
    local deadline=$((SECONDS + $1))
    while [ $SECONDS -lt $deadline ]; do
        if grep -q "Bootstrapped 100%" "$DIR/nodes/client/notice.log" 2>/dev/null; then
            echo "net.sh: client bootstrapped after ${SECONDS}s"
            return
        fi
        sleep 1
    done
    die "client did not bootstrap within $1 s; see $DIR/nodes/client/notice.log"
}

[ $# -ge 2 ] || usage
COMMAND=$1
DIR=$2
BASE=${TOR_NET_BASE_PORT:-17100}
SOCKS_PORT=$((BASE + 20))

case $COMMAND in
start)
    wait_client=0
    [ "${3:-}" = "--wait-client" ] && wait_client=1
    start_network "$wait_client"
    ;;
wait-client)
    [ -d "$DIR/nodes/client" ] || die "no network in $DIR"
    DIR=$(cd "$DIR" && pwd)
    wait_for_client "${3:-180}"
    ;;
stop)
    [ -d "$DIR/nodes" ] || exit 0
    stop_network "$DIR"
    echo "net.sh: network in $DIR stopped"
    ;;
*)
    usage
    ;;
esac
