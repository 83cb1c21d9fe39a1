// The JSON document of a business agreement: what the agreements table stores and what the
// control plane shows. Boost.JSON stays inside this file.
#include <boost/json.hpp>

#include "core/time_format.h"
#include "domain/agreements/agreement_repository.h"

namespace causeway::agreements {
namespace json = boost::json;
namespace {

std::string Str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

const json::array& Arr(const json::object& o, const char* key) {
  static const json::array kEmpty;
  auto* v = o.if_contains(key);
  return v && v->is_array() ? v->as_array() : kEmpty;
}

// Only the fields that are set, so that documents stay small and the control plane readable.
void Put(json::object& o, const char* key, const std::string& v) {
  if (!v.empty()) o[key] = v;
}

template <typename T, typename Fn>
json::array Array(const std::vector<T>& items, Fn fn) {
  json::array a;
  for (const T& x : items) {
    json::object o;
    fn(o, x);
    a.push_back(std::move(o));
  }
  return a;
}

template <typename T, typename Fn>
std::vector<T> Vector(const json::object& o, const char* key, Fn fn) {
  std::vector<T> out;
  for (const json::value& v : Arr(o, key))
    if (v.is_object()) out.push_back(fn(v.as_object()));
  return out;
}

}  // namespace

std::string EncodeAgreement(const BusinessAgreement& a) {
  json::object o{{"id", a.id}, {"uuid", a.uuid}, {"change_state_id", a.change_state_id}, {"revision", a.revision},
                 {"business_partner_id", a.business_partner_id}};
  Put(o, "category_code", a.category_code);
  Put(o, "type_code", a.type_code);
  Put(o, "name", a.name);
  Put(o, "account_determination_code", a.account_determination_code);
  Put(o, "tolerance_group_code", a.tolerance_group_code);
  o["contact_persons"] = Array(a.contact_persons, [](json::object& x, const ContactPerson& c) {
    x["business_partner_id"] = c.business_partner_id;
    Put(x, "function_code", c.function_code);
    if (c.main) x["main"] = true;
  });
  o["relationships"] = Array(a.relationships, [](json::object& x, const Relationship& r) {
    x["role_code"] = r.role_code;
    x["business_partner_id"] = r.business_partner_id;
    Put(x, "valid_from", r.valid_from);
    Put(x, "valid_to", r.valid_to);
  });
  o["communication_arrangements"] =
      Array(a.communication_arrangements, [](json::object& x, const CommunicationArrangement& c) {
        x["correspondence_type_code"] = c.correspondence_type_code;
        Put(x, "medium_code", c.medium_code);
        Put(x, "recipient_partner_id", c.recipient_partner_id);
      });
  o["direct_responsibilities"] = Array(a.direct_responsibilities, [](json::object& x, const DirectResponsibility& d) {
    x["role_code"] = d.role_code;
    x["employee_id"] = d.employee_id;
    Put(x, "business_partner_id", d.business_partner_id);
  });
  o["sales_arrangements"] = Array(a.sales_arrangements, [](json::object& x, const SalesArrangement& s) {
    x["sales_organisation_id"] = s.sales_organisation_id;
    x["distribution_channel_code"] = s.distribution_channel_code;
    Put(x, "division_code", s.division_code);
    Put(x, "customer_group_code", s.customer_group_code);
    Put(x, "currency_code", s.currency_code);
  });
  o["payment_data"] = Array(a.payment_data, [](json::object& x, const PaymentData& p) {
    x["direction_code"] = p.direction_code;
    Put(x, "payment_method_code", p.payment_method_code);
    Put(x, "bank_details_id", p.bank_details_id);
    Put(x, "payment_card_id", p.payment_card_id);
    Put(x, "alternative_payer_partner_id", p.alternative_payer_partner_id);
  });
  o["texts"] = Array(a.texts, [](json::object& x, const AgreementText& t) {
    x["type_code"] = t.type_code;
    Put(x, "language_code", t.language_code);
    x["content"] = t.content;
    x["change_state_id"] = t.change_state_id;
  });
  o["created_at"] = core::FormatIso8601(a.created_at);
  o["created_by"] = a.created_by;
  o["changed_at"] = core::FormatIso8601(a.changed_at);
  o["changed_by"] = a.changed_by;
  return json::serialize(o);
}

core::Result<BusinessAgreement> DecodeAgreement(std::string_view text) {
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object())
    return core::MakeError(core::Code::kInternal, "CAUSEWAY/AGREEMENT", "099", "A stored business agreement is not "
                                                                              "readable: &1", {ec.message()});
  const json::object& o = v.as_object();
  BusinessAgreement a;
  a.id = Str(o, "id");
  a.uuid = Str(o, "uuid");
  a.change_state_id = Str(o, "change_state_id");
  if (auto* r = o.if_contains("revision"); r && r->is_int64()) a.revision = r->as_int64();
  a.business_partner_id = Str(o, "business_partner_id");
  a.category_code = Str(o, "category_code");
  a.type_code = Str(o, "type_code");
  a.name = Str(o, "name");
  a.account_determination_code = Str(o, "account_determination_code");
  a.tolerance_group_code = Str(o, "tolerance_group_code");
  a.contact_persons = Vector<ContactPerson>(o, "contact_persons", [](const json::object& x) {
    ContactPerson c{Str(x, "business_partner_id"), Str(x, "function_code"), false};
    if (auto* m = x.if_contains("main"); m && m->is_bool()) c.main = m->as_bool();
    return c;
  });
  a.relationships = Vector<Relationship>(o, "relationships", [](const json::object& x) {
    return Relationship{Str(x, "role_code"), Str(x, "business_partner_id"), Str(x, "valid_from"), Str(x, "valid_to")};
  });
  a.communication_arrangements = Vector<CommunicationArrangement>(o, "communication_arrangements", [](const json::object& x) {
    return CommunicationArrangement{Str(x, "correspondence_type_code"), Str(x, "medium_code"),
                                    Str(x, "recipient_partner_id")};
  });
  a.direct_responsibilities = Vector<DirectResponsibility>(o, "direct_responsibilities", [](const json::object& x) {
    return DirectResponsibility{Str(x, "role_code"), Str(x, "employee_id"), Str(x, "business_partner_id")};
  });
  a.sales_arrangements = Vector<SalesArrangement>(o, "sales_arrangements", [](const json::object& x) {
    return SalesArrangement{Str(x, "sales_organisation_id"), Str(x, "distribution_channel_code"),
                            Str(x, "division_code"), Str(x, "customer_group_code"), Str(x, "currency_code")};
  });
  a.payment_data = Vector<PaymentData>(o, "payment_data", [](const json::object& x) {
    return PaymentData{Str(x, "direction_code"), Str(x, "payment_method_code"), Str(x, "bank_details_id"),
                       Str(x, "payment_card_id"), Str(x, "alternative_payer_partner_id")};
  });
  a.texts = Vector<AgreementText>(o, "texts", [](const json::object& x) {
    return AgreementText{Str(x, "type_code"), Str(x, "language_code"), Str(x, "content"), Str(x, "change_state_id")};
  });
  a.created_at = core::ParseIso8601(Str(o, "created_at")).value_or(core::SystemTime{});
  a.created_by = Str(o, "created_by");
  a.changed_at = core::ParseIso8601(Str(o, "changed_at")).value_or(core::SystemTime{});
  a.changed_by = Str(o, "changed_by");
  return a;
}

}  // namespace causeway::agreements
