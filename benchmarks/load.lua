-- wrk script for benchmarks/load.py: sends the signed-in member's cookies (session and
-- CSRF token) and optional extra headers, and prints the figures as one JSON line.
--   wrk -t2 -c8 -d5s -s benchmarks/load.lua http://127.0.0.1:8300/n/anno-nu/home/ -- \
--       "sessionid=…; csrftoken=…" "If-None-Match: \"abc\""
local cookie = nil
local extra = {}

function init(args)
  cookie = args[1]
  for i = 2, #args do
    local name, value = string.match(args[i], "^([^:]+):%s*(.*)$")
    if name then extra[name] = value end
  end
end

function request()
  local headers = {}
  if cookie and cookie ~= "" then
    headers["Cookie"] = cookie
    local csrf = string.match(cookie, "csrftoken=([^;]+)")
    if csrf then headers["X-CSRFToken"] = csrf end
  end
  for k, v in pairs(extra) do headers[k] = v end
  return wrk.format(nil, nil, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
