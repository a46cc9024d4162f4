# Shared helpers for the benchmark scripts: logging, the list of started processes (stopped on exit),
# free loopback ports, CPU pinning and /proc readings. Sourced, never run.

# Every process a benchmark starts is recorded here and stopped by bench_cleanup (trap EXIT).
BENCH_PIDS=()

bench_log() {
    printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

bench_die() {
    bench_log "error: $*"
    exit 1
}

# Stops every recorded process: SIGTERM, a short wait, then SIGKILL. Only the processes this script started.
bench_cleanup() {
    local pid
    for pid in "${BENCH_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for _ in $(seq 1 50); do
        local alive=0
        for pid in "${BENCH_PIDS[@]}"; do
            if kill -0 "$pid" 2>/dev/null; then alive=1; fi
        done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for pid in "${BENCH_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    BENCH_PIDS=()
}

bench_track() {
    BENCH_PIDS+=("$1")
}

# Stops one recorded process and forgets it.
bench_stop() {
    local pid=$1 kept=() p
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${BENCH_PIDS[@]}"; do
        [ "$p" = "$pid" ] || kept+=("$p")
    done
    BENCH_PIDS=("${kept[@]}")
}

# A TCP port on 127.0.0.1 that nothing listens on right now.
bench_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# N distinct TCP ports on 127.0.0.1 that nothing listens on right now, one a line (all held open while
# chosen, so none repeats).
bench_free_ports() {
    python3 -c 'import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in held))' "$1"
}

# Waits until something accepts TCP connections on 127.0.0.1:$1, at most $2 seconds.
bench_wait_port() {
    local port=$1 limit=${2:-30} i
    for i in $(seq 1 $((limit * 20))); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# The command prefix that places a benchmark process: `taskset -c CPU` when pinning is on and the CPU exists,
# and `nice -n N` when BENCH_NICE is set (a negative value puts the benchmark ahead of other work on a shared
# machine; needs root). Prints nothing when neither applies.
bench_pin() {
    local cpu=$1
    if [ -n "${BENCH_NICE:-}" ] && [ "${BENCH_NICE}" != 0 ]; then
        printf 'nice -n %s ' "$BENCH_NICE"
    fi
    if [ "${BENCH_PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc --all)" -gt "$cpu" ]; then
        printf 'taskset -c %s' "$cpu"
    fi
}

# A field of /proc/PID/status in kB (VmRSS, VmHWM, …); empty when the process is gone.
bench_status_kb() {
    awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status" 2>/dev/null
}

# User + system CPU time of a process (all its threads), in clock ticks.
bench_cpu_ticks() {
    # Field 2 (the command) may contain spaces; cut after the closing parenthesis.
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    # Fields after the command: state is field 3 overall, utime 14, stime 15 → 12th and 13th here.
    set -- $stat
    echo $(( ${12} + ${13} ))
}

# Samples VmRSS of $1 every 0.2 s until the file $3 exists; writes the largest value (kB) to $2.
bench_memwatch() {
    local pid=$1 out=$2 stop=$3 max=0 line value
    while [ ! -e "$stop" ] && [ -e "/proc/$pid/status" ]; do
        while IFS= read -r line; do
            case $line in
                VmRSS:*)
                    value=${line#VmRSS:}
                    value=${value% kB}
                    value=${value//[[:space:]]/}
                    [ "$value" -gt "$max" ] && max=$value
                    ;;
            esac
        done <"/proc/$pid/status"
        sleep 0.2
    done
    echo "$max" >"$out"
}

# Sets a key in the results file (key=value lines, later keys win).
bench_result() {
    printf '%s=%s\n' "$1" "$2" >>"$BENCH_RESULTS"
}

# The value of a key in the results file (the last one set), or nothing.
bench_result_of() {
    sed -n "s/^$1=//p" "$BENCH_RESULTS" | tail -n 1
}
