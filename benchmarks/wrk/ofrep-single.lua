-- wrk script: OFREP single-flag evaluation with a different targeting key per request.
-- Usage: TOKEN=... wrk -t2 -c32 -d20s --latency -s benchmarks/wrk/ofrep-single.lua \
--          http://127.0.0.1:8080/ofrep/v1/evaluate/flags/bench-flag
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")

request = function()
  counter = counter + 1
  local body = '{"context":{"targetingKey":"user-' .. counter ..
      '","country":"NL","plan":"pro","appVersion":"8.4.1","email":"u' .. counter .. '@customer.example"}}'
  return wrk.format(nil, nil, nil, body)
end
