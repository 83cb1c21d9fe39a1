-- wrk script: POST a ManageTaskActivityIn MaintainBundle with TASKS (default 10) new activity
-- tasks per request, HTTP Basic from CW_AUTH. Each request carries its own BasicMessageHeader/UUID
-- (so the idempotency store is exercised, as with a well-behaved SAP client) unless NO_UUID=1;
-- RUN_NO (0-4095) is part of it, so that a later wrk run against the same server sends new
-- messages rather than repeats of the earlier run's (which are answered from the store).
-- RATE (requests/s over all connections, with THREADS = wrk's -t, default 2): each wrk thread
-- hands its connections send slots RATE/THREADS per second apart (delay()), so the load arrives
-- at that rate as long as the server keeps up, instead of as fast as answers come (closed
-- loop, RATE unset). Latency is still measured from each request's send.
local tasks = tonumber(os.getenv("TASKS") or "10")
local no_uuid = os.getenv("NO_UUID") == "1"
local rate = tonumber(os.getenv("RATE") or "0")
local threads = tonumber(os.getenv("THREADS") or "2")
local run_no = tonumber(os.getenv("RUN_NO") or "0") % 4096
local counter = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_no", next_thread)
end

if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef [[
    typedef struct { long tv_sec; long tv_nsec; } cw_timespec;
    int clock_gettime(int clk_id, cw_timespec *tp);
  ]]
  local ts = ffi.new("cw_timespec")
  local CLOCK_MONOTONIC = 1
  local function now_ms()
    ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local interval = 1000 * threads / rate  -- ms between two sends of this thread
  local slot = nil

  -- Called before each request of any of the thread's connections: the next free slot. wrk
  -- takes whole milliseconds; the slots themselves stay exact, so the rate holds on average.
  function delay()
    local now = now_ms()
    slot = math.max(now, (slot or now) + interval)
    return math.floor(slot - now)
  end
end

local function body(uuid)
  local parts = {'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body>',
                 '<n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">'}
  if uuid then parts[#parts + 1] = '<BasicMessageHeader><UUID>' .. uuid .. '</UUID></BasicMessageHeader>' end
  for i = 1, tasks do
    parts[#parts + 1] = '<ActivityTask actionCode="01"><ObjectNodeSenderTechnicalID>' .. i ..
      '</ObjectNodeSenderTechnicalID><Name>Call back customer ' .. i .. '</Name><PriorityCode>3</PriorityCode>' ..
      '<ScheduledPeriod><StartDateTime timeZoneCode="UTC">2024-05-01T08:00:00Z</StartDateTime>' ..
      '<EndDateTime timeZoneCode="UTC">2024-05-02T08:00:00Z</EndDateTime></ScheduledPeriod>' ..
      '<ProcessorParty><BusinessPartnerInternalID>MC2471</BusinessPartnerInternalID></ProcessorParty>' ..
      '<MainActivityParty><BusinessPartnerInternalID>MC9785</BusinessPartnerInternalID></MainActivityParty>' ..
      '<Text actionCode="01"><TextTypeCode>10002</TextTypeCode><ContentText>Benchmark task</ContentText></Text>' ..
      '</ActivityTask>'
  end
  parts[#parts + 1] = '</n0:TaskActivityBundleMaintainRequest_sync_V1></soapenv:Body></soapenv:Envelope>'
  return table.concat(parts)
end

local fixed_body = nil

function request()
  local headers = {["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = '""',
                   ["Authorization"] = os.getenv("CW_AUTH")}
  if no_uuid then
    fixed_body = fixed_body or body(nil)
    return wrk.format("POST", nil, headers, fixed_body)
  end
  counter = counter + 1
  local uuid = string.format("%08x-%04x-4%03x-8000-%012x", math.random(0, 0x7fffffff), (thread_no or 0) % 65536,
                             run_no, counter)
  return wrk.format("POST", nil, headers, body(uuid))
end

function response(status, headers, body_text)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body_text:sub(1, 300) .. "\n")
  end
end
