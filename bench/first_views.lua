-- wrk script: each request is the first view of its own page. WRK_LINES names a file of
-- lines, one per request: a path (WRK_MODE=path) or a Cookie header for GET /manage
-- (WRK_MODE=cookie). The thread stops after the last line, so no page is seen twice.
local lines = {}
for line in io.lines(os.getenv("WRK_LINES")) do
  lines[#lines + 1] = line
end
local mode = os.getenv("WRK_MODE")
local sent = 0

request = function()
  sent = math.min(sent + 1, #lines)
  if mode == "cookie" then
    return wrk.format("GET", "/manage", { Cookie = lines[sent] })
  end
  return wrk.format("GET", lines[sent])
end

response = function(status, headers, body)
  if sent >= #lines then
    wrk.thread:stop()
  end
end
