-- wrk: POST the tutorial's body to /predict and count answers that are not 200.
-- Usage: wrk -t2 -c8 -d10s -s bench/wrk/tutorial.lua http://127.0.0.1:8080/predict
local f = assert(io.open(os.getenv("GROVE_BODY") or "examples/tutorial-body.json", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"

local non_2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("requests/s: %.0f  p50: %.3f ms  p99: %.3f ms  errors: %d  non-2xx: %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout + summary.errors.status, summary.errors.status))
end
