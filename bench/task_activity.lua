-- wrk script: POST a ManageTaskActivityIn MaintainBundle with TASKS (default 10) new activity
-- tasks per request, HTTP Basic from CW_AUTH. Each request carries its own BasicMessageHeader/UUID
-- (so the idempotency store is exercised, as with a well-behaved SAP client) unless NO_UUID=1;
-- RUN_NO (0-4095) is part of it, so that a later wrk run against the same server sends new
-- messages rather than repeats of the earlier run's (which are answered from the store).
-- RATE (requests/s over all connections, with THREADS = wrk's -t, default 2): paced load
-- (pace.lua) instead of a closed loop.
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

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "pace.lua")(rate, threads)

local function body(uuid)
  local parts = {'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body>',
                 '<n0:TaskActivityBundleMaintainRequest_sync_V1 xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">'}
  if uuid then parts[#parts + 1] = '<BasicMessageHeader><UUID>' .. uuid .. '</UUID></BasicMessageHeader>' end
  for i = 1, tasks do
    parts[#parts + 1] = '<ActivityTask actionCode="01"><ObjectNodeSenderTechnicalID>' .. i ..
      '</ObjectNodeSenderTechnicalID><Name>Call back customer ' .. i .. '</Name><PriorityCode>3</PriorityCode>' ..
      '<ScheduledPeriod><StartDateTime timeZoneCode="UTC">2024-05-01T08:00:00Z</StartDateTime>' ..
      '<EndDateTime timeZoneCode="UTC">2024-05-02T08:00:00Z</EndDateTime></ScheduledPeriod>' ..
      '<Text actionCode="01"><TextTypeCode>10002</TextTypeCode><ContentText>Benchmark task</ContentText></Text>' ..
      '<ProcessorParty><BusinessPartnerInternalID>MC2471</BusinessPartnerInternalID></ProcessorParty>' ..
      '<MainActivityParty><BusinessPartnerInternalID>MC9785</BusinessPartnerInternalID></MainActivityParty>' ..
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
