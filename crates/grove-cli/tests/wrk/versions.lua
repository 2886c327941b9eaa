-- wrk: POST the tutorial's body while model versions are swapped under the server, and check
-- every answer: a 2xx status, and an `x-model-version` among the versions pushed so far (the
-- file GROVE_VERSIONS, one per line, that the test appends to after each push).
-- Usage: GROVE_BODY=examples/tutorial-body.json GROVE_VERSIONS=versions.txt \
--   wrk -t2 -c8 -d10s -s versions.lua http://127.0.0.1:8080/predict
local f = assert(io.open(os.getenv("GROVE_BODY") or "examples/tutorial-body.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local versions_path = assert(os.getenv("GROVE_VERSIONS"), "set GROVE_VERSIONS")

local known = {}
local function read_versions()
  local file = io.open(versions_path, "r")
  if file then
    for line in file:lines() do
      if line ~= "" then known[line] = true end
    end
    file:close()
  end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  read_versions()
end

-- Per thread (read back by done()).
answers = 0
non_2xx = 0
no_version = 0
seen = {}
unknown = {}

function response(status, headers, body)
  answers = answers + 1
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
  local v = headers["x-model-version"] or headers["X-Model-Version"]
  if v == nil then
    no_version = no_version + 1
    return
  end
  seen[v] = (seen[v] or 0) + 1
  if not known[v] then
    -- Pushed a moment ago: the file may have been appended since this thread read it.
    read_versions()
    if not known[v] then
      unknown[v] = (unknown[v] or 0) + 1
    end
  end
end

function done(summary, latency, requests)
  -- The final file: a version the server found before the test wrote it down is still valid
  -- if it is there now; anything else (the corrupt upload, an invented id) is bad.
  read_versions()
  local total, bad_status, missing, bad, distinct = 0, 0, 0, 0, 0
  local versions = {}
  for _, thread in ipairs(threads) do
    total = total + thread:get("answers")
    bad_status = bad_status + thread:get("non_2xx")
    missing = missing + thread:get("no_version")
    for v, _ in pairs(thread:get("seen")) do
      versions[v] = true
    end
    for v, n in pairs(thread:get("unknown")) do
      if not known[v] then
        bad = bad + n
        io.write("bad version: " .. v .. " (" .. n .. " answers)\n")
      end
    end
  end
  for _ in pairs(versions) do
    distinct = distinct + 1
  end
  local e = summary.errors
  io.write(string.format(
    "version-check: requests=%d answers=%d non_2xx=%d socket_errors=%d no_version=%d bad_version=%d versions_seen=%d rps=%.0f p99_ms=%.3f\n",
    summary.requests, total, bad_status, e.connect + e.read + e.write + e.timeout, missing, bad,
    distinct, summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000))
end
