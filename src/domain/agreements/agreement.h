// Business agreements (IS-U contract accounts replicated from SAP ERP into the CRM) and the
// change a BusinessAgreementReplicationIn message asks for, as plain protocol-free values.
// The A2X conventions (action codes, list-complete flags, log items) are soap/a2x.h's plain
// values. See README.md for the rules.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "soap/a2x.h"
#include "soap/a2x_list.h"

namespace causeway::agreements {

using soap::a2x::Action;
using soap::a2x::ListChange;
using soap::a2x::LogItem;

// ---- the stored business agreement ---------------------------------------------------------

struct ContactPerson {  // identified by the partner
  std::string business_partner_id;
  std::string function_code;
  bool main = false;
  bool operator==(const ContactPerson&) const = default;
};

struct Relationship {  // identified by role and partner
  std::string role_code;
  std::string business_partner_id;
  std::string valid_from, valid_to;  // xsd:date as sent
  bool operator==(const Relationship&) const = default;
};

struct CommunicationArrangement {  // identified by the correspondence type
  std::string correspondence_type_code;
  std::string medium_code;
  std::string recipient_partner_id;
  bool operator==(const CommunicationArrangement&) const = default;
};

struct DirectResponsibility {  // identified by role and employee
  std::string role_code;
  std::string employee_id;
  std::string business_partner_id;  // the employee's partner (resolved)
  bool operator==(const DirectResponsibility&) const = default;
};

struct SalesArrangement {  // identified by sales organisation, distribution channel and division
  std::string sales_organisation_id, distribution_channel_code, division_code;
  std::string customer_group_code, currency_code;
  bool operator==(const SalesArrangement&) const = default;
};

struct PaymentData {  // identified by the direction: "1" incoming, "2" outgoing
  std::string direction_code;
  std::string payment_method_code, bank_details_id, payment_card_id, alternative_payer_partner_id;
  bool operator==(const PaymentData&) const = default;
};

struct AgreementText {  // identified by type and language
  std::string type_code, language_code, content;
  std::string change_state_id;  // a text has its own (checked when a change sends one)
  bool operator==(const AgreementText&) const = default;
};

struct BusinessAgreement {
  std::string id;    // the contract account number (the sender's, or from the internal range)
  std::string uuid;  // lower case
  std::string change_state_id;
  int64_t revision = 0;  // 1 when created, +1 per change
  std::string business_partner_id;
  std::string category_code, type_code, name;
  std::string account_determination_code, tolerance_group_code;
  std::vector<ContactPerson> contact_persons;
  std::vector<Relationship> relationships;
  std::vector<CommunicationArrangement> communication_arrangements;
  std::vector<DirectResponsibility> direct_responsibilities;
  std::vector<SalesArrangement> sales_arrangements;
  std::vector<PaymentData> payment_data;
  std::vector<AgreementText> texts;
  core::SystemTime created_at{};
  std::string created_by;
  core::SystemTime changed_at{};
  std::string changed_by;
  bool operator==(const BusinessAgreement&) const = default;
};

// ---- what a replication message asks for ---------------------------------------------------
// Every optional leaf that is not transmitted (nullopt) leaves the stored value unchanged.
// `change_state_id` is read on the root and on texts only: the other child nodes carry it but
// it does not apply to them (the seed's note).

struct NodeChange {
  Action action = Action::kSave;
  std::string sender_id;  // ObjectNodeSenderTechnicalID ("" initial)
  std::optional<std::string> change_state_id;
};

struct ContactPersonChange : NodeChange {
  std::optional<std::string> business_partner_id, function_code;
  std::optional<bool> main;
};
struct RelationshipChange : NodeChange {
  std::optional<std::string> role_code, business_partner_id, valid_from, valid_to;
};
struct CommunicationArrangementChange : NodeChange {
  std::optional<std::string> correspondence_type_code, medium_code, recipient_partner_id;
};
struct DirectResponsibilityChange : NodeChange {
  std::optional<std::string> role_code, employee_id;
};
struct SalesArrangementChange : NodeChange {
  std::optional<std::string> sales_organisation_id, distribution_channel_code, division_code, customer_group_code,
      currency_code;
};
struct PaymentDataChange : NodeChange {
  std::optional<std::string> direction_code, payment_method_code, bank_details_id, payment_card_id,
      alternative_payer_partner_id;
};
struct TextChange : NodeChange {
  std::optional<std::string> type_code, language_code, content;
};

struct AgreementChange : NodeChange {
  std::optional<std::string> id, uuid, business_partner_id, category_code, type_code, name;
  bool account_determination_present = false;
  std::optional<std::string> account_determination_code, tolerance_group_code;
  ListChange<ContactPersonChange> contact_persons;
  ListChange<RelationshipChange> relationships;
  ListChange<CommunicationArrangementChange> communication_arrangements;
  ListChange<DirectResponsibilityChange> direct_responsibilities;
  ListChange<SalesArrangementChange> sales_arrangements;
  ListChange<PaymentDataChange> payment_data;
  ListChange<TextChange> texts;
};

struct ReplicationRequest {
  std::string message_id, message_uuid;  // BasicMessageHeader
  AgreementChange agreement;
};

// ---- what came of it ------------------------------------------------------------------------

// kUnchanged: the message changed nothing (06 throughout, or values equal to the stored ones):
// nothing is written, revision and ChangeStateID stay.
enum class Outcome { kNone, kCreated, kChanged, kUnchanged, kDeleted, kNotFound };

struct ReplicationResult {
  std::vector<LogItem> log;  // errors, warnings and what was done
  Outcome outcome = Outcome::kNone;  // kNone when the message ended in error
  std::string agreement_id, uuid, change_state_id;
  int64_t revision = 0;
  bool failed() const { return soap::a2x::HasError(log); }
};

}  // namespace causeway::agreements
