-- wrk script: incoming case-exchange Update operations (POST /rest/<tenant>/ces), one entity per
-- request, round-robin over RECORDS records starting at FIRST_ID, each with a new Description and
-- the record's ExternalId. The token (CX_TOKEN) goes in the LWSSO_COOKIE_KEY cookie.
--
-- RATE (requests/s over all threads; unset or 0: as fast as the connections go, wrk's closed
-- loop): each of the WRK_THREADS threads (default 2; set it to wrk's -t) hands out send times
-- WRK_THREADS/RATE s apart, and delay() holds a connection until its turn, so the total is RATE
-- while connections are free. wrk measures latency from the actual send: the figures are the
-- server's answer times at that offered load. A thread that fell behind (every connection busy)
-- restarts its schedule from now instead of bursting to catch up.
local tenant = os.getenv("CX_TENANT") or "100000002"
local first = tonumber(os.getenv("FIRST_ID") or "10001")
local records = tonumber(os.getenv("RECORDS") or "4000")
local token = os.getenv("CX_TOKEN")
local counter = 0
local thread_no = 0
local threads = 0

local rate = tonumber(os.getenv("RATE") or "0")
local wrk_threads = tonumber(os.getenv("WRK_THREADS") or "2")

function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } cx_timespec;
    int clock_gettime(int clock_id, cx_timespec* tp);
  ]]
  local ts = ffi.new("cx_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local next_slot = 0
  function delay()
    local period = 1000 * wrk_threads / rate
    local now = now_ms()
    next_slot = math.max(next_slot + period, now)
    return math.floor(next_slot - now)
  end
end

function request()
  counter = counter + 1
  local id = first + ((counter * 7 + thread_no * 977) % records)
  local body = '{"entities":[{"entity_type":"Change","properties":{"Id":"' .. id ..
    '","Description":"update ' .. thread_no .. '-' .. counter .. '"},' ..
    '"ext_properties":{"ExternalSystem":"SNOW","Operation":"Update","ExternalId":"EXT-' .. id ..
    '","ExternalStatus":"In progress"}}]}'
  return wrk.format("POST", "/rest/" .. tenant .. "/ces", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "TENANTID=" .. tenant .. "; LWSSO_COOKIE_KEY=" .. token}, body)
end

local failures = 0
function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end
