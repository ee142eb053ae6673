-- wrk script: POSTs pre-signed WhatsApp webhook envelopes, each body once, so every wamid is new
-- to the journal. Bodies come from `bench_channels wa-bodies` ("<X-Hub-Signature-256>\t<body>"
-- per line), split into one file per wrk thread: <bodies>.0, <bodies>.1, ...
--
--   wrk -s bench/wrk_whatsapp.lua https://127.0.0.1:8443 -- /webhooks/whatsapp/wa /tmp/bodies
--
-- done() prints "non_2xx=<n>" and "wrapped=<n>": requests sent after a thread ran out of bodies
-- (they repeat wamids, which the journal stores no second time); a run with wrapped > 0 needs
-- more bodies to be a fair measurement.

local threads = {}
local next_index = 0

function setup(thread)
   thread:set("thread_index", next_index)
   next_index = next_index + 1
   table.insert(threads, thread)
end

local path
local signatures = {}
local bodies = {}
local next_body = 0
local wrapped_once = false
-- Globals: done() reads them through thread:get().
non_2xx = 0
wrapped = 0

function init(args)
   path = args[1] or "/webhooks/whatsapp/wa"
   local prefix = args[2] or os.getenv("WA_BODIES")
   local file = assert(io.open(prefix .. "." .. thread_index, "rb"))
   for line in file:lines() do
      local tab = line:find("\t", 1, true)
      if tab then
         table.insert(signatures, line:sub(1, tab - 1))
         table.insert(bodies, line:sub(tab + 1))
      end
   end
   file:close()
   assert(#bodies > 0, "no bodies in " .. prefix .. "." .. thread_index)
end

function request()
   next_body = next_body + 1
   if next_body > #bodies then
      next_body = 1
      wrapped_once = true
   end
   if wrapped_once then
      wrapped = wrapped + 1
   end
   return wrk.format("POST", path, {
      ["Content-Type"] = "application/json",
      ["X-Hub-Signature-256"] = signatures[next_body],
   }, bodies[next_body])
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      non_2xx = non_2xx + 1
   end
end

function done(summary, latency, requests)
   local failed, repeats = 0, 0
   for _, thread in ipairs(threads) do
      failed = failed + (thread:get("non_2xx") or 0)
      repeats = repeats + (thread:get("wrapped") or 0)
   end
   io.write(string.format("non_2xx=%d\nwrapped=%d\n", failed, repeats))
end
