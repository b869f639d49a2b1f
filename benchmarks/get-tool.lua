-- wrk script: GET one tool ($MCP_BENCH_PATH) with the credential in $MCP_BENCH_HEADER ("Name: value"); prints one
-- line for benchmarks/auth.
local header = os.getenv("MCP_BENCH_HEADER")
local name, value = header:match("^([^:]+):%s*(.*)$")
wrk.headers[name] = value
wrk.path = os.getenv("MCP_BENCH_PATH")

done = function(summary, latency, requests)
  io.write(string.format("WRK requests=%d rps=%.0f non2xx=%d p50=%.2fms p99=%.2fms\n",
    summary.requests, summary.requests / (summary.duration / 1e6), summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
