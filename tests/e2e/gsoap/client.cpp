// ManageTaskActivityIn and BusinessAgreementReplicationIn through a gSOAP client generated from
// the WSDLs the server serves (tests/e2e/test_soap_gsoap.py: wsdl2h fetches both with Basic
// authentication into one header, soapcpp2 -C -j writes the proxy, g++ compiles this file with it).
//
//   client <base URL> <TLS base URL> <user> <password>
//
// Writes one JSON object per line: one per call ({"step": ..., "error": soap->error, the fault,
// the result, the bytes sent and received}), then {"step": "done"}. The test asserts on them.
#include "soapbinding_USCORESOAP12Proxy.h"
#include "binding_USCORESOAP12.nsmap"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

// Debian's libgsoap(ssl)++ is built WITH_COOKIES (it keeps and resends the server's cookies) but
// its pkg-config flags do not say so, and stdsoap2.h declares this only under WITH_COOKIES.
extern "C" void soap_free_cookies(struct soap*);

namespace {

// ---- the wire, as gSOAP's own callbacks see it --------------------------------------------------
std::string sent, received;
int connections = 0;  // sockets gSOAP opened for the current step
int (*plain_send)(struct soap*, const char*, size_t);
size_t (*plain_recv)(struct soap*, char*, size_t);
SOAP_SOCKET (*plain_open)(struct soap*, const char*, const char*, int);

int record_send(struct soap* soap, const char* data, size_t n) {
  sent.append(data, n);
  return plain_send(soap, data, n);
}

size_t record_recv(struct soap* soap, char* buf, size_t n) {
  size_t got = plain_recv(soap, buf, n);
  received.append(buf, got);
  return got;
}

SOAP_SOCKET record_open(struct soap* soap, const char* endpoint, const char* host, int port) {
  ++connections;
  return plain_open(soap, endpoint, host, port);
}

void begin_step() {
  sent.clear();
  received.clear();
  connections = 0;
}

// ---- a small JSON writer ------------------------------------------------------------------------
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);  // UTF-8 passes through; the test decodes leniently
        }
    }
  }
  return out + "\"";
}

template <class T>
std::string opt(const T* p) {
  return p ? quote(*p) : "null";
}

struct Json {
  std::string body;
  Json& add(const char* key, const std::string& raw_value) {
    body += (body.empty() ? "" : ",") + quote(key) + ":" + raw_value;
    return *this;
  }
  std::string str() const { return "{" + body + "}"; }
};

// ---- values for the generated pointer members ----------------------------------------------------
template <class T>
T* P(const T& v) {
  return new T(v);  // a short-lived test driver: never freed
}

time_t utc(int y, int mo, int d, int h, int mi, int s) {
  struct tm t = {};
  t.tm_year = y - 1900;
  t.tm_mon = mo - 1;
  t.tm_mday = d;
  t.tm_hour = h;
  t.tm_min = mi;
  t.tm_sec = s;
  return timegm(&t);
}

using Proxy = binding_USCORESOAP12Proxy;
using Request = ns3__TaskActivityMaintainRequestBundleMessage_USCOREsync_USCOREV1;
using Confirmation = ns3__TaskActivityMaintainConfirmationBundleMessage_USCOREsync_USCOREV1;
using Task = ns3__TaskActivityMaintainRequestBundle_USCOREV1;
using Party = ns3__TaskActivityMaintainRequestBundleParty;

Task* task(Proxy& p, const char* action, const char* sender) {
  Task* t = soap_new_ns3__TaskActivityMaintainRequestBundle_USCOREV1(p.soap);
  if (action) t->actionCode = P(static_cast<ns4__ActionCode>(std::atoi(action)));
  if (sender) t->ObjectNodeSenderTechnicalID = P<std::string>(sender);
  return t;
}

Party* party(Proxy& p, const char* partner, const char* employee = nullptr) {
  Party* x = soap_new_ns3__TaskActivityMaintainRequestBundleParty(p.soap);
  if (partner) x->BusinessPartnerInternalID = P<std::string>(partner);
  if (employee) x->EmployeeID = P<std::string>(employee);
  return x;
}

ns5__LOCALNORMALISED_USCOREDateTime* at(Proxy& p, time_t when, const char* zone) {
  auto* d = soap_new_ns5__LOCALNORMALISED_USCOREDateTime(p.soap);
  d->__item = when;
  d->timeZoneCode = zone;
  return d;
}

// The part of a call's record every step has: status, fault, bytes.
Json outcome(Proxy& p, const char* step, int rc) {
  Json j;
  j.add("step", quote(step)).add("error", std::to_string(rc));
  if (rc == SOAP_FAULT || (p.soap->fault && rc != SOAP_OK)) {
    const char** code = soap_faultcode(p.soap);
    const char* text = p.soap_fault_string();
    j.add("fault_code", code && *code ? quote(*code) : "null").add("fault_string", text ? quote(text) : "null");
  }
  j.add("version", std::to_string(p.soap->version)).add("connections", std::to_string(connections));
  j.add("request", quote(sent)).add("response", quote(received));
  return j;
}

std::string log_json(const ns4__Log* log) {
  if (!log) return "null";
  std::string items;
  for (const ns4__LogItem* i : log->Item) {
    Json it;
    it.add("TypeID", opt(i->TypeID)).add("SeverityCode", opt(i->SeverityCode))
        .add("ReferenceObjectNodeSenderTechnicalID", opt(i->ReferenceObjectNodeSenderTechnicalID))
        .add("Note", quote(i->Note));
    items += (items.empty() ? "" : ",") + it.str();
  }
  Json j;
  j.add("BusinessDocumentProcessingResultCode", opt(log->BusinessDocumentProcessingResultCode))
      .add("MaximumLogItemSeverityCode", opt(log->MaximumLogItemSeverityCode))
      .add("Item", "[" + items + "]");
  return j.str();
}

std::string confirmation_json(const Confirmation& c) {
  std::string tasks;
  for (const auto* t : c.ActivityTask) {
    Json tj;
    tj.add("ReferenceObjectNodeSenderTechnicalID", opt(t->ReferenceObjectNodeSenderTechnicalID))
        .add("ChangeStateID", quote(t->ChangeStateID)).add("UUID", quote(t->UUID)).add("ID", opt(t->ID));
    tasks += (tasks.empty() ? "" : ",") + tj.str();
  }
  Json j;
  j.add("ActivityTask", "[" + tasks + "]").add("Log", log_json(c.Log));
  return j.str();
}

void emit(const Json& j) {
  std::printf("%s\n", j.str().c_str());
  std::fflush(stdout);
}

// The credentials and the envelope version of the next call. gSOAP clears soap->userid and
// soap->passwd after every call, so they are set before each one. wsdl2h collected both ports
// into one SOAP 1.2 service (#import "soap12.h"): the generated namespace table binds SOAP-ENV
// to the 1.2 envelope, and gSOAP derives the version from that table at every call, so
// soap_set_version(soap, 1) does not last until the request is written; a SOAP 1.1 call uses a
// copy of the table with the 1.1 envelope and encoding namespaces first.
const char* user = nullptr;
const char* password = nullptr;
std::vector<Namespace> soap12_table, soap11_table;

void prepare(Proxy& p, int version) {
  p.soap->userid = user;
  p.soap->passwd = password;
  soap_set_namespaces(p.soap, version == 1 ? soap11_table.data() : soap12_table.data());
}

// One synchronous call: `version` 1 or 2 picks the envelope; the operation is the generated one
// of the SOAP 1.1 binding (the `_` twin) or of the SOAP 1.2 one.
template <class Op>
void sync_call(Proxy& p, const char* step, int version, Op op, Confirmation& out) {
  begin_step();
  prepare(p, version);
  int rc = op(out);
  Json j = outcome(p, step, rc);
  if (rc == SOAP_OK) j.add("result", confirmation_json(out));
  emit(j);
}

void one_way(Proxy& p, const char* step, int version, ns3__BusinessAgreementReplicateRequestMessage* m,
             const std::string& endpoint) {
  begin_step();
  prepare(p, version);
  int rc = version == 1 ? p.ReplicateBusinessAgreement_(endpoint.c_str(), nullptr, m)
                        : p.ReplicateBusinessAgreement(endpoint.c_str(), nullptr, m);
  emit(outcome(p, step, rc));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <base URL> <TLS base URL> <user> <password>\n", argv[0]);
    return 2;
  }
  const std::string base = argv[1], tls_base = argv[2];
  const std::string task_url = base + "/sap/bc/srt/scs/sap/managetaskactivityin";
  const std::string buag_url = base + "/sap/bc/srt/scs/sap/businessagreementreplicationin";

  // UTF-8 in std::string both ways (without it gSOAP writes each byte >= 0x80 as a Latin-1
  // character reference). WITH_OPENSSL: the library is libgsoapssl++.
  // SOAP_XML_STRICT: responses are checked against the generated schema constraints
  // (occurrences, lengths, unknown elements) instead of gSOAP's default leniency.
  Proxy p(SOAP_C_UTFSTRING | SOAP_XML_STRICT, SOAP_C_UTFSTRING);
  user = argv[3];
  password = argv[4];
  p.soap->connect_timeout = 10;
  p.soap->recv_timeout = p.soap->send_timeout = 30;
  plain_send = p.soap->fsend;
  plain_recv = p.soap->frecv;
  plain_open = p.soap->fopen;
  p.soap->fsend = record_send;
  p.soap->frecv = record_recv;
  p.soap->fopen = record_open;
  for (const Namespace* n = p.soap->namespaces; n->id; ++n) soap12_table.push_back(*n);
  soap12_table.push_back(Namespace{});
  soap11_table = soap12_table;
  for (int i : {0, 1}) std::swap(soap11_table[i].ns, soap11_table[i].in);  // SOAP-ENV, SOAP-ENC
  {
    Json j;
    j.add("step", quote("start")).add("gsoap", std::to_string(GSOAP_VERSION));
    emit(j);
  }

  // 1. Create two tasks with the nested parts, SOAP 1.2 (the generated default).
  const std::string uuid = "3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b";
  Request create;
  create.BasicMessageHeader = soap_new_ns4__BusinessDocumentBasicMessageHeader(p.soap);
  create.BasicMessageHeader->ID = P<std::string>("GSOAP-CREATE-1");
  {
    Task* a = task(p, "01", "G1");
    a->textListCompleteTransimissionIndicator = P(true);
    a->UUID = P(uuid);
    a->Name = P<std::string>("R\xC3\xBC" "ckruf \xE2\x80\x93 M\xC3\xBCller (gSOAP)");
    a->PriorityCode = P(ns4__PriorityCode__1);
    a->ScheduledPeriod = soap_new_ns3__TaskActivityMaintainRequestBundleScheduledPeriod(p.soap);
    a->ScheduledPeriod->StartDateTime = at(p, utc(2024, 7, 1, 8, 0, 0), "CET");
    a->ScheduledPeriod->EndDateTime = at(p, utc(2024, 7, 2, 16, 30, 0), "UTC-5");
    a->ProcessorParty = party(p, nullptr, "E0001");
    a->MainActivityParty = party(p, "MC9785");
    Party* main_ref = party(p, "MCP6049");
    main_ref->MainIndicator = P(true);
    a->ReferenceParty = {main_ref, party(p, "MCPB9785")};
    auto* ref = soap_new_ns3__TaskActivityMaintainRequestBundleBusinessTransactionDocumentReference(p.soap);
    ref->actionCode = P(ns4__ActionCode__01);
    ref->ID = P<std::string>("4711");
    ref->TypeCode = P<std::string>("72");
    ref->RoleCode = P<std::string>("1");
    a->BusinessTransactionDocumentReference = {ref};
    auto* text = soap_new_ns3__TaskActivityMaintainRequestBundleText(p.soap);
    text->actionCode = P(ns4__ActionCode__01);
    text->TextTypeCode = P<std::string>("10002");
    text->LanguageCode = P<std::string>("DE");
    text->ContentText = P<std::string>("Gr\xC3\xBC\xC3\x9F" "e aus gSOAP");
    a->Text = {text};
    Task* b = task(p, "01", "G2");
    b->Name = P<std::string>("Second from gSOAP");
    b->ProcessorParty = party(p, "MC2471");
    b->EmployeeResponsibleParty = party(p, nullptr, "E0002");
    create.ActivityTask = {a, b};
  }
  Confirmation created;
  sync_call(p, "create", 2, [&](Confirmation& out) { return p.MaintainBundle(task_url.c_str(), nullptr, &create, out); },
            created);
  std::string csid = created.ActivityTask.empty() ? "" : created.ActivityTask[0]->ChangeStateID;

  // 2. Update with the returned change state, SOAP 1.1 (the `binding` port's operation).
  Request update;
  {
    Task* t = task(p, "02", "G3");
    t->referencePartyListCompleteTransimissionIndicator = P(true);
    t->ChangeStateID = P(csid);
    t->UUID = P(uuid);
    t->LifeCycleStatusCode = P(ns4__ActivityLifeCycleStatusCode__2);
    t->ReferenceParty = {party(p, "MCP17101")};
    update.ActivityTask = {t};
  }
  Confirmation updated;
  sync_call(p, "update", 1, [&](Confirmation& out) { return p.MaintainBundle_(task_url.c_str(), nullptr, &update, out); },
            updated);

  // 3. The create's change state again: stale now.
  Request stale;
  {
    Task* t = task(p, "02", "G4");
    t->ChangeStateID = P(csid);
    t->UUID = P(uuid);
    t->Name = P<std::string>("stale from gSOAP");
    stale.ActivityTask = {t};
  }
  Confirmation stale_out;
  sync_call(p, "stale", 2, [&](Confirmation& out) { return p.MaintainBundle(task_url.c_str(), nullptr, &stale, out); },
            stale_out);

  // 4. CheckMaintainBundle: one create that would succeed, one with an unknown partner.
  Request check;
  {
    Task* ok = task(p, "01", "C1");
    ok->Name = P<std::string>("checked only (gSOAP)");
    Task* bad = task(p, "01", "C2");
    bad->Name = P<std::string>("checked only (gSOAP)");
    bad->MainActivityParty = party(p, "NOPE");
    check.ActivityTask = {ok, bad};
  }
  Confirmation checked;
  sync_call(p, "check", 2,
            [&](Confirmation& out) { return p.CheckMaintainBundle(task_url.c_str(), nullptr, &check, out); }, checked);
  Confirmation checked11;
  sync_call(p, "check11", 1,
            [&](Confirmation& out) { return p.CheckMaintainBundle_(task_url.c_str(), nullptr, &check, out); }, checked11);

  // 5. The same message UUID twice, once per SOAP version: processed once.
  Request idem;
  idem.BasicMessageHeader = soap_new_ns4__BusinessDocumentBasicMessageHeader(p.soap);
  idem.BasicMessageHeader->UUID = P<std::string>("1A2B3C4D-5E6F-4A0B-8C1D-2E3F4A5B6C7D");
  {
    Task* t = task(p, nullptr, "I1");
    t->Name = P<std::string>("once (gSOAP)");
    idem.ActivityTask = {t};
  }
  Confirmation idem1, idem2;
  sync_call(p, "idem_first", 2, [&](Confirmation& out) { return p.MaintainBundle(task_url.c_str(), nullptr, &idem, out); },
            idem1);
  sync_call(p, "idem_again", 1, [&](Confirmation& out) { return p.MaintainBundle_(task_url.c_str(), nullptr, &idem, out); },
            idem2);

  // 6. Schema faults. The generated enum holds 01..06 only: the out-of-range value 7 is what a
  // gSOAP program can send (gSOAP writes an unknown enum value as its number, "7").
  Request bad_code;
  {
    Task* t = task(p, "07", nullptr);
    t->Name = P<std::string>("bad code");
    bad_code.ActivityTask = {t};
  }
  Confirmation fault_out;
  sync_call(p, "fault11", 1,
            [&](Confirmation& out) { return p.MaintainBundle_(task_url.c_str(), nullptr, &bad_code, out); }, fault_out);
  sync_call(p, "fault12", 2,
            [&](Confirmation& out) { return p.MaintainBundle(task_url.c_str(), nullptr, &bad_code, out); }, fault_out);

  // 7. Compressed request (libgsoapssl++ is built WITH_GZIP): Content-Encoding: gzip.
  {
    Request gz;
    Task* t = task(p, "01", "Z1");
    t->Name = P<std::string>("gzipped (gSOAP)");
    gz.ActivityTask = {t};
    soap_set_omode(p.soap, SOAP_ENC_ZLIB);
    Confirmation out;
    begin_step();
    prepare(p, 2);
    int rc = p.MaintainBundle(task_url.c_str(), nullptr, &gz, out);
    soap_clr_omode(p.soap, SOAP_ENC_ZLIB);
    sent = sent.substr(0, sent.find("\r\n\r\n"));  // the headers only: the body is binary
    Json j = outcome(p, "gzip", rc);
    if (rc == SOAP_OK) j.add("result", confirmation_json(out));
    emit(j);
  }

  // 8. HTTPS (the test's certificate is self-signed: no verification).
  {
    const std::string tls_url = tls_base + "/sap/bc/srt/scs/sap/managetaskactivityin";
    Json j;
    if (soap_ssl_client_context(p.soap, SOAP_SSL_NO_AUTHENTICATION, nullptr, nullptr, nullptr, nullptr, nullptr)) {
      j = outcome(p, "tls", p.soap->error);
      emit(j);
    } else {
      Request r;
      Task* t = task(p, "01", "T1");
      t->Name = P<std::string>("over TLS (gSOAP)");
      r.ActivityTask = {t};
      Confirmation out;
      sync_call(p, "tls", 2, [&](Confirmation& o) { return p.CheckMaintainBundle(tls_url.c_str(), nullptr, &r, o); }, out);
    }
  }

  // 9. A chunked request body on a kept-alive connection: two calls, the second on the first's socket.
  {
    const soap_mode imode = p.soap->imode, omode = p.soap->omode;
    soap_set_omode(p.soap, SOAP_IO_CHUNK);
    soap_set_mode(p.soap, SOAP_IO_KEEPALIVE);
    for (const char* step : {"keepalive_1", "keepalive_2"}) {
      Request r;
      Task* t = task(p, "01", step);
      t->Name = P<std::string>("chunked (gSOAP)");
      r.ActivityTask = {t};
      Confirmation out;
      sync_call(p, step, 1, [&](Confirmation& o) { return p.CheckMaintainBundle_(task_url.c_str(), nullptr, &r, o); },
                out);
    }
    p.soap_force_close_socket();
    p.soap->imode = imode;
    p.soap->omode = omode;
  }

  // 10. BusinessAgreementReplicationIn, one-way: SOAP 1.2 create, SOAP 1.1 update, a schema fault.
  {
    auto* m = soap_new_ns3__BusinessAgreementReplicateRequestMessage(p.soap);
    m->BasicMessageHeader = soap_new_ns4__BusinessDocumentBasicMessageHeader(p.soap);
    m->BasicMessageHeader->UUID = P<std::string>("6f5e4d3c-2b1a-4098-8765-4321fedcba98");
    auto* a = soap_new_ns3__BusinessAgreementReplicateRequestBusinessAgreement(p.soap);
    a->actionCode = P(ns4__ActionCode__01);
    a->relationshipListCompleteTransmissionIndicator = P(true);
    a->ObjectNodeSenderTechnicalID = P<std::string>("GB1");
    a->ID = P<std::string>("000000700061");
    a->Name = P<std::string>("B\xC3\xA4" "ckerei from gSOAP");
    a->BusinessPartnerInternalID = P<std::string>("UC100002");
    a->AccountDetermination = soap_new_ns3__BusinessAgreementReplicateRequestAccountDetermination(p.soap);
    a->AccountDetermination->AccountDeterminationCode = P<std::string>("01");
    auto* rel = soap_new_ns3__BusinessAgreementReplicateRequestRelationship(p.soap);
    rel->RoleCode = P<std::string>("ZREL");
    rel->BusinessPartnerInternalID = P<std::string>("UC100003");
    rel->ValidityPeriod = soap_new_ns3__BusinessAgreementReplicateRequestValidityPeriod(p.soap);
    rel->ValidityPeriod->StartDate = P<std::string>("2024-01-01");
    rel->ValidityPeriod->EndDate = P<std::string>("9999-12-31");
    a->Relationship = {rel};
    auto* resp = soap_new_ns3__BusinessAgreementReplicateRequestDirectResponsibility(p.soap);
    resp->PartyRoleCode = P<std::string>("142");
    resp->EmployeeID = P<std::string>("E0101");
    a->DirectResponsibility = {resp};
    auto* pay = soap_new_ns3__BusinessAgreementReplicateRequestPaymentData(p.soap);
    pay->PaymentDirectionCode = P(ns4__PaymentDirectionCode__1);
    pay->PaymentMethodCode = P<std::string>("D");
    a->PaymentData = {pay};
    auto* text = soap_new_ns3__BusinessAgreementReplicateRequestText(p.soap);
    text->actionCode = P(ns4__ActionCode__01);
    text->TextTypeCode = P<std::string>("10001");
    text->LanguageCode = P<std::string>("DE");
    text->ContentText = P<std::string>("\xC3\xBC" "ber gSOAP");
    a->Text = {text};
    m->BusinessAgreement = a;
    one_way(p, "buag_first", 2, m, buag_url);

    auto* u = soap_new_ns3__BusinessAgreementReplicateRequestMessage(p.soap);
    u->BasicMessageHeader = soap_new_ns4__BusinessDocumentBasicMessageHeader(p.soap);
    u->BasicMessageHeader->ID = P<std::string>("GSOAP-BA-2");
    u->BusinessAgreement = soap_new_ns3__BusinessAgreementReplicateRequestBusinessAgreement(p.soap);
    u->BusinessAgreement->ID = P<std::string>("000000700061");
    u->BusinessAgreement->Name = P<std::string>("Changed by gSOAP over SOAP 1.1");
    one_way(p, "buag_update11", 1, u, buag_url);

    auto* f = soap_new_ns3__BusinessAgreementReplicateRequestMessage(p.soap);
    f->BasicMessageHeader = soap_new_ns4__BusinessDocumentBasicMessageHeader(p.soap);
    f->BasicMessageHeader->ID = P<std::string>("GSOAP-BA-3");
    f->BusinessAgreement = soap_new_ns3__BusinessAgreementReplicateRequestBusinessAgreement(p.soap);
    f->BusinessAgreement->actionCode = P(static_cast<ns4__ActionCode>(7));
    f->BusinessAgreement->ID = P<std::string>("000000700062");
    one_way(p, "buag_fault", 2, f, buag_url);
  }

  // 11. A wrong password: HTTP 401 (soap->error is the status). Without the session cookie gSOAP
  // kept from the earlier answers (SAP_SESSIONID_…), which would log the call on by itself.
  {
    soap_free_cookies(p.soap);
    password = "wrong";
    Request r;
    Task* t = task(p, nullptr, nullptr);
    t->Name = P<std::string>("never");
    r.ActivityTask = {t};
    Confirmation out;
    sync_call(p, "wrong_password", 2,
              [&](Confirmation& o) { return p.MaintainBundle(task_url.c_str(), nullptr, &r, o); }, out);
  }

  Json done;
  done.add("step", quote("done"));
  emit(done);
  return 0;
}
