-- wrk's script for `manage.py bench_load` (benchmarks/load.py writes the data file it reads).
--
-- One wrk thread per connection (wrk -t N -c N), so each connection is one agent: their own session
-- cookie, CSRF token and case. The scenario is wrk's first argument after `--`:
--   queue   the queue page (my open cases)
--   api     the API list (state, by deadline, 50 rows)
--   mixed   an agent working: queue, open the case, send a message, queue, open the case, then a
--           transition (propose, next time reject: the case goes to proposed and back)
-- At the end one line, "BENCH_LOAD {json}", with the counts and the latency percentiles.

local data = dofile(os.getenv("BENCH_LOAD_DATA"))
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  local agent = data.agents[((#threads - 1) % #data.agents) + 1]
  thread:set("agent", agent)
  thread:set("host", data.host)
  thread:set("list_url", data.list_url)
end

local scenario, step, proposed = "queue", 0, false
posts = 0  -- a global: done() reads it from each thread
local get_headers, post_headers

function init(args)
  scenario = args[1] or "queue"
  local cookie = data.session_cookie .. "=" .. agent.session .. "; " .. data.csrf_cookie .. "=" ..
    agent.csrf
  get_headers = {["Cookie"] = cookie, ["X-Forwarded-Proto"] = "https"}
  post_headers = {
    ["Cookie"] = cookie, ["X-Forwarded-Proto"] = "https",
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = "https://" .. host, ["Referer"] = "https://" .. host .. "/cases/" .. agent.case .. "/",
  }
end

local function post(path, body)
  posts = posts + 1
  return wrk.format("POST", path, post_headers, "csrfmiddlewaretoken=" .. agent.csrf .. "&" .. body)
end

local function transition()
  proposed = not proposed
  if proposed then
    return post("/cases/" .. agent.case .. "/transitions/propose/", "propose-remedy=" .. agent.remedy)
  end
  return post("/cases/" .. agent.case .. "/transitions/reject/",
              "reject-reason=The+buyer+wants+to+think+it+over.")
end

function request()
  if scenario == "api" then
    return wrk.format("GET", list_url, get_headers)
  elseif scenario == "mixed" then
    step = step % 6 + 1
    if step == 1 or step == 4 then
      return wrk.format("GET", "/", get_headers)
    elseif step == 2 or step == 5 then
      return wrk.format("GET", "/cases/" .. agent.case .. "/", get_headers)
    elseif step == 3 then
      return post("/cases/" .. agent.case .. "/messages/",
                  "message-channel=chat&message-body=Thank+you+for+waiting%2C+we+are+checking+it.")
    end
    return transition()
  end
  return wrk.format("GET", "/", get_headers)
end

function done(summary, latency, requests)
  local sent = 0
  for _, thread in ipairs(threads) do
    sent = sent + (thread:get("posts") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_LOAD {"requests": %d, "seconds": %.3f, "posts": %d, "status_errors": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "p50_ms": %.1f, "p90_ms": %.1f, "p99_ms": %.1f, ' ..
    '"max_ms": %.1f}\n',
    summary.requests, summary.duration / 1e6, sent, e.status, e.connect + e.read + e.write,
    e.timeout, latency:percentile(50) / 1e3, latency:percentile(90) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3))
end
