-- wrk script: every request registers another person on one workshop, as a rush does.
-- Usage (see the README's Performance section):
--   WORKSHOP=<id> wrk -t2 -c64 -d30s -s docs/rush.lua http://127.0.0.1:8080
-- Answers other than 201 are counted and printed at the end (a full workshop answers 201 too:
-- the person lands on the waitlist).
local workshop = os.getenv("WORKSHOP")
local run = os.time() -- a new run registers new people
local counter = 0
local threads = {}
thread_id = 0 -- a global: setup sets it in each thread's own state

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
  table.insert(threads, thread)
end

function init(args)
  failed = 0
  wrk.method = "POST"
  wrk.path = "/api/v1/workshops/" .. workshop .. "/registrations"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local who = string.format("rush-%d-%d-%d", run, thread_id, counter)
  local body = string.format('{"name":"Person %s","email":"%s@example.org","organisation":"Landkreis","consent":true}', who, who)
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  if status ~= 201 then
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local f = 0
  for _, t in ipairs(threads) do
    f = f + t:get("failed")
  end
  io.write(string.format("p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, answers other than 201: %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, f))
end
