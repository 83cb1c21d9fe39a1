-- wrk script: the Focused Build status update as SAP's Jira connector sends it (spec §3.3):
-- PUT …/EXT_INTEGRATION_SRV/StatusSet(Guid='…') with {"Guid","ExtStatus"}, Basic, sap-client,
-- the CSRF token and the session cookie (CW_AUTH, CW_TOKEN, CW_COOKIE). The work items' GUIDs
-- come from the file FB_GUIDS; each wrk thread takes every WRK_THREADS-th of them and visits
-- its share round-robin, alternating "In Review" (E0003) and "Reopened" (E0002), so that every
-- PUT of a run that starts with the items at E0002 changes the status (a durable write and a
-- history line; a repeat of the current status would be a no-op). FB_STATE, if set, is a file
-- that carries each thread's position from one wrk run to the next, so that a second run goes
-- on alternating where the first stopped. RATE (requests/s over all connections): paced load
-- (pace.lua) instead of a closed loop.
local root = "/sap/opu/odata/SALM/EXT_INTEGRATION_SRV/"
local statuses = {"In Review", "Reopened"}
local guids = {}
counter = 0  -- global: done() reads it with thread:get
local threads = 0
local all_threads = {}
local state_file = os.getenv("FB_STATE")

function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
  all_threads[threads] = thread
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "pace.lua")(
  tonumber(os.getenv("RATE") or "0"), tonumber(os.getenv("WRK_THREADS") or "2"))

-- Each thread's counter from the previous run (line K: thread K's), or 0.
local function saved_counter(n)
  if not state_file then return 0 end
  local f = io.open(state_file, "r")
  if not f then return 0 end
  local k = 0
  for line in f:lines() do
    k = k + 1
    if k == n then f:close(); return tonumber(line) or 0 end
  end
  f:close()
  return 0
end

function done()
  if not state_file then return end
  local f = assert(io.open(state_file, "w"))
  for _, t in ipairs(all_threads) do f:write(tostring(t:get("counter") or 0), "\n") end
  f:close()
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("FB_GUIDS")) do all[#all + 1] = line end
  local n = tonumber(os.getenv("WRK_THREADS") or "2")
  for i, g in ipairs(all) do
    if (i - 1) % n == thread_no - 1 then guids[#guids + 1] = g end
  end
  counter = saved_counter(thread_no)
end

local headers = {
  ["Authorization"] = os.getenv("CW_AUTH"),
  ["X-CSRF-Token"] = os.getenv("CW_TOKEN"),
  ["Cookie"] = os.getenv("CW_COOKIE"),
  ["sap-client"] = "100",
  ["Accept"] = "application/json",
  ["Content-Type"] = "application/json; charset=utf-8",
}

function request()
  local g = guids[counter % #guids + 1]
  local status = statuses[math.floor(counter / #guids) % 2 + 1]
  counter = counter + 1
  return wrk.format("PUT", root .. "StatusSet(Guid='" .. g .. "')", headers,
                    '{"Guid":"' .. g .. '","ExtStatus":"' .. status .. '"}')
end

local reported = 0
function response(status, hdrs, body)
  if status ~= 204 and reported < 5 then
    reported = reported + 1
    io.stderr:write("status " .. status .. ": " .. body:sub(1, 300) .. "\n")
  end
end
