-- wrk script: POST a ~300-byte Telegram-like update with an update_id unique across every
-- wrk thread and request, so a journal with UNIQUE(msg_id) inserts one row per request.
--
--   wrk -s bench/wrk_journal.lua http://127.0.0.1:8080 [-- /path]
--
-- Path: first script argument, else env JOURNAL_PATH, else /diag/journal/telegram.
-- done() prints "non_2xx=<n>", which run_http_bench.sh parses (wrk's own line also counts
-- 3xx and only appears when non-zero).

local kDefaultPath = "/diag/journal/telegram"
local kTargetBytes = 300
-- Each thread owns a block of ids this wide; 1e7 requests per thread is far beyond any run.
local kIdsPerThread = 1e7

local threads = {}
local next_index = 0

-- Runs in the main Lua state, once per thread before it starts.
function setup(thread)
   thread:set("thread_index", next_index)
   next_index = next_index + 1
   table.insert(threads, thread)
end

-- Everything below runs in each thread's own Lua state.
local path
local next_id
local padding
-- Global, not local: done() reads it from the main state through thread:get().
non_2xx = 0

local function Body(update_id)
   local id = string.format("%.0f", update_id)
   return '{"update_id":' .. id .. ',"message":{"message_id":' .. id ..
      ',"from":{"id":6281234567,"is_bot":false,"first_name":"Siti","language_code":"id"}' ..
      ',"chat":{"id":6281234567,"type":"private"},"date":1732250000' ..
      ',"text":"Lapor: jalan rusak di depan balai desa' .. padding .. '"}}'
end

function init(args)
   path = args[1] or os.getenv("JOURNAL_PATH") or kDefaultPath
   -- The seconds-of-clock prefix keeps ids distinct across runs, so a journal reused between
   -- runs still takes every request as new (runs must start at least a second apart).
   next_id = (os.time() % 1000000) * 1e9 + thread_index * kIdsPerThread
   padding = ""
   padding = string.rep(".", math.max(0, kTargetBytes - #Body(next_id)))
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   next_id = next_id + 1
   return wrk.format(nil, path, nil, Body(next_id))
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non_2xx = non_2xx + 1
   end
end

function done(summary, latency, requests)
   local total = 0
   for _, thread in ipairs(threads) do
      total = total + (thread:get("non_2xx") or 0)
   end
   io.write(string.format("non_2xx=%d\n", total))
end
