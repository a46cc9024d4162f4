-- wrk script for the benchmarks: prints one machine-readable summary line at the end.
-- With BENCH_DELAY_MS set, each connection waits that long between requests (a paced probe of page
-- latency, not a throughput test); latency is measured per request, without the wait.

local pace = tonumber(os.getenv("BENCH_DELAY_MS") or "")
if pace and pace > 0 then
  function delay()
    return pace
  end
end

-- No response() callback on purpose: defining one makes wrk hand every response to Lua, which would
-- slow the client down and measure it instead of the server. Non-2xx/3xx answers are counted in
-- summary.errors.status.

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d bytes=%d connect_errors=%d read_errors=%d write_errors=%d "
      .. "status_errors=%d timeouts=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f\n",
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean))
end
