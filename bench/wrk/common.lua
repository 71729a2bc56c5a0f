-- Shared by the benchmark's wrk scripts (loaded with dofile from each of them).
-- Per-thread status counts, reported by done() as one JSON line that bench/http_wrk.py
-- parses ("WRKJSON {...}").
local M = {}
local threads = {}
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } jl_timespec;
  int clock_gettime(int clk_id, jl_timespec *tp);
]]
local ts = ffi.new("jl_timespec")

-- CLOCK_MONOTONIC in microseconds (the same clock in every thread)
function M.now_us()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

-- A thread that has sent what it was asked to stops, and says so with a file
-- (PREFIX.<thread>): wrk itself runs until -d is over, so the harness waits for every
-- thread's file and then ends wrk with SIGINT (wrk then reports as usual).
function M.finish(prefix)
  if prefix then
    local f = io.open(prefix .. "." .. tid, "w")
    f:write("done\n")
    f:close()
  end
  wrk.thread:stop()
end

-- wrk runs a thread's init() before the next thread's setup(): the number of threads
-- comes from the harness (an argument "threads=N"), not from counting here.
function M.setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

-- Each status is counted in a global number "s<status>" (thread:get copies numbers).
function M.count(status)
  local k = "s" .. status
  _G[k] = (_G[k] or 0) + 1
end

function M.done(summary, latency, extra)
  local total = {}
  local out = {}
  for _, t in ipairs(threads) do
    for code = 100, 599 do
      local v = t:get("s" .. code)
      if v then total[tostring(code)] = (total[tostring(code)] or 0) + v end
    end
    if extra then extra(t, out) end
  end
  local st = {}
  for k, v in pairs(total) do st[#st + 1] = string.format('"%s":%d', k, v) end
  local fields = {
    string.format('"requests":%d', summary.requests),
    string.format('"duration_us":%d', summary.duration),
    string.format('"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}',
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.timeout, summary.errors.status),
    string.format('"latency_us":{"mean":%.1f,"p50":%d,"p90":%d,"p99":%d,"max":%d}',
      latency.mean, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max),
    '"statuses":{' .. table.concat(st, ",") .. '}',
  }
  for k, v in pairs(out) do fields[#fields + 1] = string.format('"%s":%s', k, v) end
  io.write("WRKJSON {" .. table.concat(fields, ",") .. "}\n")
end

return M
