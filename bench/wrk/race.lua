-- The sell-out race: each connection (run with -t N -c N: one connection a thread, so a
-- response is known to answer this thread's last request) quotes one 7-night stay of
-- one product, books the quote with a fresh Idempotency-Key, and repeats; after its
-- share of refusals (409) it stops.
--   wrk -t16 -c16 -d60s -s race.lua URL -- PRODUCT CHECK_IN CHECK_OUT REFUSALS SIGNAL KEY1 KEY2 ...
-- Reports (in the WRKJSON line) every booking's latency and, for each 201, the time it
-- arrived, on CLOCK_MONOTONIC (microseconds), so that the harness can compute bookings/s
-- to the 100th unit and the booking p99 without the quotes' latencies.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
local common = dofile(here .. "common.lua")
local now_us = common.now_us

setup = common.setup

function init(args)
  local product, check_in, check_out = args[1], args[2], args[3]
  refusals_allowed = tonumber(args[4])
  signal = args[5]
  local key = args[6 + (tid % (#args - 5))]
  auth = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
  quote_body = string.format(
    '{"items":[{"product_id":%s,"check_in":"%s","check_out":"%s","guests":2,"units":1}]}',
    product, check_in, check_out)
  quote_req = wrk.format("POST", "/v1/quotes", auth, quote_body)
  pending_quote, last_kind, sent_at, n = nil, "quote", 0, 0
  refused, booked = 0, 0
  book_lat, ok_at, quote_lat = {}, {}, {}
  first_at = 0
end

-- wrk sometimes calls request() twice before the first response (it drops one): with
-- one connection a thread, the response always answers the LAST request() made, which
-- is what last_kind and sent_at describe.
function request()
  sent_at = now_us()
  if first_at == 0 then first_at = sent_at end
  if pending_quote then
    n = n + 1
    last_kind = "book"
    local h = {
      ["Authorization"] = auth["Authorization"],
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = string.format("race-%d-%d-%d", tid, n, sent_at),
    }
    local body = string.format(
      '{"quote_id":"%s","lead_traveller":{"name":"王秀兰","phone":"13800138000"},' ..
      '"guests":[{"name":"王秀兰"}]}', pending_quote)
    pending_quote = nil
    return wrk.format("POST", "/v1/bookings", h, body)
  end
  last_kind = "quote"
  return quote_req
end

function response(status, headers, body)
  local t = now_us()
  common.count(status)
  if last_kind == "quote" then
    quote_lat[#quote_lat + 1] = t - sent_at
    if status == 201 then pending_quote = body:match('"id"%s*:%s*"(q_[^"]+)"') end
  else
    book_lat[#book_lat + 1] = t - sent_at
    if status == 201 then
      booked = booked + 1
      ok_at[#ok_at + 1] = t
    elseif status == 409 then
      refused = refused + 1
    end
    -- kept as strings after every booking (thread:get copies strings, not tables)
    book_lat_s, ok_at_s, quote_lat_s = table.concat(book_lat, ","),
      table.concat(ok_at, ","), table.concat(quote_lat, ",")
    if refused >= refusals_allowed then common.finish(signal) end
  end
end

function done(summary, latency, requests)
  local lat, ok, ql, starts = {}, {}, {}, {}
  common.done(summary, latency, function(t, out)
    for _, pair in ipairs({ { "book_lat_s", lat }, { "ok_at_s", ok }, { "quote_lat_s", ql } }) do
      local s = t:get(pair[1])
      if s and s ~= "" then pair[2][#pair[2] + 1] = s end
    end
    starts[#starts + 1] = tostring(t:get("first_at") or 0)
    out["booking_latency_us"] = "[" .. table.concat(lat, ",") .. "]"
    out["booked_at_us"] = "[" .. table.concat(ok, ",") .. "]"
    out["quote_latency_us"] = "[" .. table.concat(ql, ",") .. "]"
    out["first_request_at_us"] = "[" .. table.concat(starts, ",") .. "]"
    out["threads_finished"] = tostring(#starts)
  end)
end
