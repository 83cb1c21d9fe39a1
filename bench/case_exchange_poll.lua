-- wrk script: the integration's poll of everything (time=0) for system SNOW, a full page.
local tenant = os.getenv("CX_TENANT") or "100000002"
local token = os.getenv("CX_TOKEN")
local size = os.getenv("SIZE") or "4000"
function request()
  return wrk.format("GET", "/rest/" .. tenant .. "/ces?layout=Id,DisplayLabel,PhaseId,OwningGroup,RequestedByPerson.Email" ..
    "&type=Change&system=SNOW&time=0&skip=0&size=" .. size,
    {["Cookie"] = "TENANTID=" .. tenant .. "; LWSSO_COOKIE_KEY=" .. token})
end
