-- wrk script for the HTTP intake benchmark (tests/bench/run.sh): POSTs the
-- sample message (lendgate_bench_config writes it) with a unique idempotency
-- key (every occurrence of the sample's key is replaced) per request, so every
-- request is a durable journal write, and a unique account number, so every
-- request is its own loan (as a lender's notices are; the compliance policies
-- read a case's history, and one loan's history growing by thousands of
-- notices a second is not what lenders send), and counts the answers that
-- are not 202.
--
--   wrk -t2 -cN -dT --latency -s intake_http.lua URL -- SAMPLE_JSON API_KEY RUN_ID
--
-- Prints one line for run.sh:
--   WRK requests=.. rps=.. p50_ms=.. p99_ms=.. non202=.. socket_errors=.. first_non202=..

local threads = {}
local next_thread_id = 0

function setup(thread)
   next_thread_id = next_thread_id + 1
   thread:set("thread_id", next_thread_id)
   table.insert(threads, thread)
end

local parts      -- the sample body split around its idempotency key
local account    -- the sample's account number, made unique per request
local salt       -- two digits from the run id, keeping runs' accounts apart
local headers
local run_id
local counter = 0
accepted = 0     -- globals: read by done() through thread:get
non202 = 0
first_non202 = ""

function init(args)
   local sample, api_key = args[1], args[2]
   run_id = args[3] or "run"
   local file = assert(io.open(sample, "rb"), "cannot read " .. tostring(sample))
   local body = file:read("*a")
   file:close()
   local key = body:match('"idempotency_key"%s*:%s*"([^"]*)"')
   assert(key, "no idempotency_key in " .. sample)
   -- The sample's key is also its assignment id; both become the new key.
   local escaped = key:gsub("%p", "%%%0")
   parts = {}
   local from = 1
   while true do
      local s, e = body:find(escaped, from)
      if not s then break end
      table.insert(parts, body:sub(from, s - 1))
      from = e + 1
   end
   table.insert(parts, body:sub(from))
   account = body:match('"account_number"%s*:%s*"(%d+)"')
   salt = 0
   for i = 1, #run_id do salt = (salt * 31 + run_id:byte(i)) % 100 end
   headers = {
      ["Authorization"] = "Bearer " .. api_key,
      ["Content-Type"] = "application/json",
   }
end

function request()
   counter = counter + 1
   local key = string.format("BENCH-%s-T%d-%d", run_id, thread_id, counter)
   local body = table.concat(parts, key)
   if account then
      local unique = string.format("%02d%d%07d", salt, thread_id % 10, counter % 10000000)
      body = body:gsub('"account_number"(%s*):(%s*)"%d+"', '"account_number"%1:%2"' .. unique .. '"')
   end
   return wrk.format("POST", "/v1/messages", headers, body)
end

function response(status, _, body)
   if status == 202 then
      accepted = accepted + 1
   else
      non202 = non202 + 1
      if first_non202 == "" then first_non202 = status .. " " .. (body or ""):sub(1, 200) end
   end
end

function done(summary, latency, _)
   local total_non202, total_accepted, sample = 0, 0, ""
   for _, thread in ipairs(threads) do
      total_non202 = total_non202 + thread:get("non202")
      total_accepted = total_accepted + thread:get("accepted")
      local first = thread:get("first_non202")
      if sample == "" and first ~= nil then sample = first end
   end
   local errors = summary.errors
   local socket_errors = errors.connect + errors.read + errors.write + errors.timeout
   io.write(string.format(
      "WRK requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f accepted=%d non202=%d socket_errors=%d first_non202=%s\n",
      summary.requests, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      total_accepted, total_non202, socket_errors, (sample:gsub("%s+", " "))))
end
