-- wrk script: PATCH /api/v1/mcps/{id} with a new version, over the tool ids listed in $MCP_BENCH_IDS, as the
-- user whose access token is $MCP_BENCH_TOKEN.
local token = os.getenv("MCP_BENCH_TOKEN")
local ids = {}
for line in io.lines(os.getenv("MCP_BENCH_IDS")) do
  ids[#ids + 1] = line
end

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed)
end

request = function()
  local id = ids[math.random(#ids)]
  local body = string.format('{"version":"%d.%d.%d"}', math.random(0, 99), math.random(0, 99), math.random(0, 999))
  return wrk.format("PATCH", "/api/v1/mcps/" .. id, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("WRK requests=%d seconds=%.2f rps=%.0f non2xx=%d errors=%d p50=%.1fms p95=%.1fms p99=%.1fms\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
