-- wrk script: POST a one-way BusinessAgreementReplicationIn ReplicateBusinessAgreement (SOAP 1.1,
-- HTTP Basic from CW_AUTH) saving (04) an agreement with its owner, a contact person, a
-- communication arrangement and a text, as ERP replicates a contract account. Every request
-- carries its own BasicMessageHeader/UUID (RUN_NO, thread and counter: a later run against the
-- same data dir sends new messages, not resends). The agreement ID is new per request, or, with
-- AGREEMENTS=K, one of K IDs per thread (K messages per agreement in line behind each other).
-- RATE (messages/s over all connections, THREADS = wrk's -t, default 2): paced load (pace.lua)
-- instead of a closed loop.
local run_no = tonumber(os.getenv("RUN_NO") or "0")
local agreements = tonumber(os.getenv("AGREEMENTS") or "0")
local auth = os.getenv("CW_AUTH")
local counter = 0
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_no", next_thread)
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "pace.lua")(
  tonumber(os.getenv("RATE") or "0"), tonumber(os.getenv("THREADS") or "2"))

local head = '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/>' ..
  '<soapenv:Body><n0:BusinessAgreementReplicateRequest xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">'
local tail = '<CategoryCode>2</CategoryCode><TypeCode>0001</TypeCode><Name>Harbor bakery</Name>' ..
  '<BusinessPartnerInternalID>UC100001</BusinessPartnerInternalID><AccountDetermination>' ..
  '<AccountDeterminationCode>01</AccountDeterminationCode></AccountDetermination>' ..
  '<ContactPerson actionCode="04"><ObjectNodeSenderTechnicalID>C1</ObjectNodeSenderTechnicalID>' ..
  '<BusinessPartnerInternalID>UCP20001</BusinessPartnerInternalID><MainIndicator>true</MainIndicator></ContactPerson>' ..
  '<CommunicationArrangement actionCode="04"><CorrespondenceTypeCode>0001</CorrespondenceTypeCode>' ..
  '<CommunicationMediumTypeCode>INT</CommunicationMediumTypeCode></CommunicationArrangement>' ..
  '<Text actionCode="04"><ObjectNodeSenderTechnicalID>T1</ObjectNodeSenderTechnicalID><TextTypeCode>10001</TextTypeCode>' ..
  '<LanguageCode>EN</LanguageCode><ContentText>Deliveries before 6 am</ContentText></Text></BusinessAgreement>' ..
  '</n0:BusinessAgreementReplicateRequest></soapenv:Body></soapenv:Envelope>'
local headers = {["Content-Type"] = "text/xml; charset=utf-8", ["SOAPAction"] = '""', ["Authorization"] = auth}

function request()
  counter = counter + 1
  local uuid = string.format("5a5a%04x-%04x-4000-8000-%012x", run_no % 65536, thread_no % 65536, counter)
  local id
  if agreements > 0 then
    id = string.format("%02d%010d", thread_no % 100, counter % agreements)
  else
    id = string.format("%02d%010d", (run_no * 8 + thread_no) % 100, counter)
  end
  local body = head .. '<BasicMessageHeader><UUID>' .. uuid .. '</UUID></BasicMessageHeader>' ..
    '<BusinessAgreement actionCode="04"><ObjectNodeSenderTechnicalID>R1</ObjectNodeSenderTechnicalID><ID>' .. id ..
    '</ID>' .. tail
  return wrk.format("POST", nil, headers, body)
end

function response(status, _, body_text)
  if status ~= 202 then
    io.stderr:write("status " .. status .. ": " .. body_text:sub(1, 300) .. "\n")
  end
end
