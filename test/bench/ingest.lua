-- wrk script of the ingest benchmark: POSTs /collect batches of FH_EVENTS pageviews, every event
-- id unique (FH_PREFIX, the thread, a counter), visitors of 20 events each, a few real browser
-- user agents in turn. Counts the answers by status and prints one JSON line at the end.
local prefix = os.getenv("FH_PREFIX") or "w"
local site = os.getenv("FH_SITE") or "site"
local per = tonumber(os.getenv("FH_EVENTS") or "20")
local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
}

local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

local n = 0
accepted = 0
refused = 0
function request()
  n = n + 1
  local now = os.time() * 1000
  local visitor = math.floor((n * per) / 20)
  local events = {}
  for i = 1, per do
    local k = n * per + i
    events[i] = string.format(
      '{"id":"%s-%d-%d","type":"pageview","ts":%d,"url":"https://shop.example/product/%d?ref=home","title":"Product %d","visitor_id":"v%d-%d","session_id":"s%d-%d"}',
      prefix, tid, k, now, k % 50, k % 50, tid, visitor, tid, visitor)
  end
  local body = string.format('{"site":"%s","sent_at":%d,"events":[%s]}', site, now, table.concat(events, ","))
  local headers = { ["Content-Type"] = "text/plain", ["User-Agent"] = agents[(n % #agents) + 1] }
  return wrk.format("POST", "/collect", headers, body)
end

function response(status, headers, body)
  if status == 202 then accepted = accepted + 1 else refused = refused + 1 end
end

function done(summary, latency, requests)
  local a, r = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
  end
  local e = summary.errors
  io.write(string.format(
    'FH_RESULT {"requests":%d,"duration_us":%d,"accepted":%d,"refused":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, a, r, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
