-- wrk's script for the peer under load (benchmarks/helpdesk_peer/load.py writes the data it reads).
--
-- One wrk thread per connection, each a staff user with their own session cookie. Scenario "list":
-- the ticket list as a browser opens it, again and again: the page, then the JSON its table loads
-- the rows from (two requests per list opened). Ends with "BENCH_LOAD {json}", as benchmarks/load.lua.

local data = dofile(os.getenv("BENCH_LOAD_DATA"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("session", data.sessions[((#threads - 1) % #data.sessions) + 1])
end

local headers
local step = 0

function init(args)
  headers = {["Cookie"] = data.session_cookie .. "=" .. session}
end

function request()
  step = step % 2 + 1
  if step == 1 then
    return wrk.format("GET", data.list_url, headers)
  end
  return wrk.format("GET", data.json_url, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_LOAD {"requests": %d, "seconds": %.3f, "posts": 0, "status_errors": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "p50_ms": %.1f, "p90_ms": %.1f, "p99_ms": %.1f, ' ..
    '"max_ms": %.1f}\n',
    summary.requests, summary.duration / 1e6, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
