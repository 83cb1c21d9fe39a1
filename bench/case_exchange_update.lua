-- wrk script: incoming case-exchange Update operations (POST /rest/<tenant>/ces), one entity per
-- request, round-robin over RECORDS records starting at FIRST_ID, each with a new Description and
-- the record's ExternalId. The token (CX_TOKEN) goes in the LWSSO_COOKIE_KEY cookie.
--
-- RATE (requests/s over all threads, WRK_THREADS = wrk's -t, default 2; unset or 0: wrk's
-- closed loop): paced load (pace.lua), the server's answer times at that offered load.
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

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "pace.lua")(rate, wrk_threads)

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
