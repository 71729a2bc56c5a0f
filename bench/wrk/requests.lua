-- Requests read from a file, one a line: METHOD<TAB>PATH<TAB>HEADERS<TAB>BODY, where
-- HEADERS is "Name: value|Name: value" (may be empty) and BODY may be empty.
--   wrk ... -s requests.lua URL -- FILE [once | count=N] [capture=PREFIX]
--       [signal=PREFIX] threads=N
-- Without "once" or "count" every thread cycles through all lines (thread t from line
-- t). With "once" thread t of n takes lines t, t+n, t+2n, ... and sends each once; with
-- count=N it cycles through those until the threads have sent N in all. Then they stop
-- (else wrk's -d ends the run), each reports when it sent its first request and
-- received its last one, and signals with a file (common.finish).
-- capture=PREFIX appends the "id" of each 2xx response (a quote id) to PREFIX.<thread>.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")

setup = common.setup

function init(args)
  local file, once, count, capture = args[1], false, nil, nil
  for i = 2, #args do
    if args[i] == "once" then once = true end
    local n = args[i]:match("^count=(%d+)$")
    if n then count = tonumber(n) end
    local c = args[i]:match("^capture=(.*)$")
    if c then capture = c end
    local sg = args[i]:match("^signal=(.*)$")
    if sg then signal = sg end
    local nt = args[i]:match("^threads=(%d+)$")
    if nt then nthreads = tonumber(nt) end
  end
  mine = {}
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == tid or not (once or count) then -- cycling: all lines
      local method, path, hdrs, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      local headers = {}
      for h in string.gmatch(hdrs, "[^|]+") do
        local k, v = h:match("^([^:]+):%s*(.*)$")
        headers[k] = v
      end
      if body ~= "" and not headers["Content-Type"] then
        headers["Content-Type"] = "application/json"
      end
      mine[#mine + 1] = wrk.format(method, path, headers, body ~= "" and body or nil)
    end
    n = n + 1
  end
  nxt, received, first_at, last_at, lat = (tid % #mine) + 1, 0, 0, 0, {}
  if once then
    limit = #mine
  elseif count then
    limit = math.floor(count / nthreads) + ((tid < count % nthreads) and 1 or 0)
  end
  if capture then
    cap = io.open(capture .. "." .. tid, "w")
    cap:setvbuf("line")
  end
end

-- In cycling mode (several connections a thread) each call takes the next line. With
-- "once" or "count" a thread has ONE connection (run wrk with -t N -c N): a response
-- then always answers the thread's last request() (wrk sometimes calls request() twice
-- before the first response and sends only the second), so the line advances on the
-- response, and each request's latency is timed here.
function request()
  if not limit then
    local r = mine[nxt]
    nxt = nxt % #mine + 1
    return r
  end
  sent_at = common.now_us()
  if first_at == 0 then first_at = sent_at end
  return mine[(received % #mine) + 1]
end

function response(status, headers, body)
  common.count(status)
  if cap and status < 300 then
    local id = body:match('"id"%s*:%s*"([^"]+)"')
    if id then cap:write(id, "\n") end
  end
  if not limit then return end
  local t = common.now_us()
  received = received + 1
  lat[#lat + 1] = t - sent_at
  if received >= limit then
    last_at = t
    lat_s = table.concat(lat, ",")
    if cap then cap:close(); cap = nil end
    common.finish(signal)
  end
end

function done(summary, latency, requests)
  local firsts, lasts, lats, sent_all = {}, {}, {}, 0
  common.done(summary, latency, function(t, out)
    firsts[#firsts + 1] = tostring(t:get("first_at") or 0)
    lasts[#lasts + 1] = tostring(t:get("last_at") or 0)
    sent_all = sent_all + (t:get("limit") or 0)
    local l = t:get("lat_s")
    if l and l ~= "" then lats[#lats + 1] = l end
    out["latency_each_us"] = "[" .. table.concat(lats, ",") .. "]"
    out["first_request_at_us"] = "[" .. table.concat(firsts, ",") .. "]"
    out["last_response_at_us"] = "[" .. table.concat(lasts, ",") .. "]"
    out["limited_requests"] = tostring(sent_all)
  end)
end
