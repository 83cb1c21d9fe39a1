// Feeds arbitrary bytes, parsed as XML, to what reception and processing of
// BusinessAgreementReplicationIn do with a payload, and checks invariants beyond "no crash":
//  - what is stored (soap::Markup of the payload after foreign content was stripped) parses on
//    its own and is a fixpoint (markup of the re-parsed markup is the same text);
//  - when the payload passes the WSDL's schema, the stored markup passes it too (processing
//    never meets a message reception would have refused), and mapping the stored markup reads
//    the same request as mapping the received payload (same queue key, action codes, list
//    flags and node counts).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "services/business_agreement/request_mapping.h"
#include "soap/envelope.h"
#include "soap/schema_set.h"

namespace causeway::services::business_agreement {
const std::string& BusinessAgreementReplicationInWsdl();
}

namespace {

using causeway::agreements::AgreementChange;

bool SameShape(const AgreementChange& a, const AgreementChange& b) {
  auto lists = [](const AgreementChange& c) {
    return std::vector<size_t>{c.contact_persons.items.size(), c.relationships.items.size(),
                               c.communication_arrangements.items.size(), c.direct_responsibilities.items.size(),
                               c.sales_arrangements.items.size(), c.payment_data.items.size(), c.texts.items.size(),
                               static_cast<size_t>(c.contact_persons.complete), static_cast<size_t>(c.texts.complete)};
  };
  return a.action == b.action && a.id == b.id && a.uuid == b.uuid && a.name == b.name &&
         a.change_state_id == b.change_state_id && a.sender_id == b.sender_id && lists(a) == lists(b);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace causeway;
  namespace ba = services::business_agreement;
  static auto schemas = soap::SchemaSet::FromWsdl(ba::BusinessAgreementReplicationInWsdl());
  if (!schemas.ok()) std::abort();
  soap::ParseLimits limits;
  limits.max_bytes = 64 * 1024;
  auto doc = soap::ParseXml(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!doc.ok()) return 0;
  (void)ba::MapReplicationRequest(doc->Root());  // never crashes, valid or not
  (void)ba::AgreementQueueKey(doc->Root());
  (*schemas)->StripForeign(doc->Root());
  const std::string stored = soap::Markup(doc->Root());
  auto again = soap::ParseXml(stored, soap::ParseLimits{});
  if (!again.ok()) std::abort();
  if (soap::Markup(again->Root()) != stored) std::abort();
  if (!(*schemas)->Validate(doc->Root()).ok()) return 0;
  if (!(*schemas)->Validate(again->Root()).ok()) std::abort();
  if (ba::AgreementQueueKey(doc->Root()) != ba::AgreementQueueKey(again->Root())) std::abort();
  if (!SameShape(ba::MapReplicationRequest(doc->Root()).agreement, ba::MapReplicationRequest(again->Root()).agreement))
    std::abort();
  return 0;
}
