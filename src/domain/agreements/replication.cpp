#include "domain/agreements/replication.h"

#include "core/ascii.h"
#include "domain/activities/partner.h"
#include "domain/agreements/agreement_messages.h"
#include "domain/agreements/agreement_repository.h"

namespace causeway::agreements {
namespace {

namespace a2x = soap::a2x;
using a2x::ListError;
using a2x::ListRules;

std::string Trimmed(const std::optional<std::string>& s) { return s ? std::string(core::Trim(*s)) : std::string(); }

// Sets `field` when the leaf was transmitted (optional leaves not sent stay as they are).
void Set(std::string& field, const std::optional<std::string>& v) {
  if (v) field = std::string(core::Trim(*v));
}

class Replicator {
 public:
  Replicator(store::Tx& tx, const AgreementChange& c, const std::string& user, core::SystemTime now, bool lock,
             ReplicationResult& result)
      : tx_(tx), c_(c), user_(user), now_(now), lock_(lock), result_(result) {}

  core::Status Run();

 private:
  void Log(const char* number, const std::string& own_sender, std::initializer_list<std::string> vars) {
    LogItem item = Message(number, a2x::ReferenceSenderId(own_sender, c_.sender_id), vars);
    failed_ = failed_ || item.severity == a2x::Severity::kError;
    result_.log.push_back(std::move(item));
  }
  // The result of a message that ended with `a` stored as it is.
  void Done(Outcome outcome, const BusinessAgreement& a) {
    result_.outcome = outcome;
    result_.agreement_id = a.id;
    result_.uuid = a.uuid;
    result_.change_state_id = a.change_state_id;
    result_.revision = a.revision;
  }
  // Business partner `id` exists (else error 004 about the node with `sender`).
  core::Result<bool> PartnerExists(const std::string& id, const std::string& sender);
  core::Status ApplyRoot(BusinessAgreement& a, bool create);
  core::Status ApplyLists(BusinessAgreement& a);
  // The list error callback of one node type.
  template <typename C>
  std::function<void(const C&, ListError)> ListErrorFor(const char* node, std::function<std::string(const C&)> label,
                                                        const char* key_name) {
    return [this, node, label, key_name](const C& ch, ListError e) {
      switch (e) {
        case ListError::kExists: Log("009", ch.sender_id, {node, label(ch), agreement_label_}); break;
        case ListError::kMissing: Log("008", ch.sender_id, {node, label(ch), agreement_label_}); break;
        case ListError::kUnidentified: Log("010", ch.sender_id, {node, key_name, a2x::ActionCode(ch.action)}); break;
      }
    };
  }

  store::Tx& tx_;
  const AgreementChange& c_;
  const std::string& user_;
  core::SystemTime now_;
  bool lock_;
  ReplicationResult& result_;
  bool failed_ = false;
  core::Status store_error_;  // the first store error a list callback met (lists cannot return it)
  std::string agreement_label_;
};

core::Result<bool> Replicator::PartnerExists(const std::string& id, const std::string& sender) {
  CW_ASSIGN_OR_RETURN(auto p, activities::partners::Find(tx_, id));
  if (!p) Log("004", sender, {id});
  return p.has_value();
}

core::Status Replicator::ApplyRoot(BusinessAgreement& a, bool create) {
  if (c_.business_partner_id) {
    std::string partner(core::Trim(*c_.business_partner_id));
    if (partner.empty()) {
      if (create) Log("006", c_.sender_id, {});
    } else if (partner != a.business_partner_id) {
      CW_ASSIGN_OR_RETURN(bool exists, PartnerExists(partner, c_.sender_id));
      if (exists) a.business_partner_id = partner;
    }
  } else if (create) {
    Log("006", c_.sender_id, {});
  }
  Set(a.category_code, c_.category_code);
  Set(a.type_code, c_.type_code);
  if (c_.name) a.name = *c_.name;
  if (c_.account_determination_present) {
    Set(a.account_determination_code, c_.account_determination_code);
    Set(a.tolerance_group_code, c_.tolerance_group_code);
  }
  return core::Status::Ok();
}

core::Status Replicator::ApplyLists(BusinessAgreement& a) {
  // A partner check inside a list callback: a store error is kept and the node dropped.
  auto exists = [&](const std::string& id, const std::string& sender) {
    auto r = PartnerExists(id, sender);
    if (!r.ok()) {
      if (store_error_.ok()) store_error_ = r.error();
      return false;
    }
    return *r;
  };

  a2x::ApplyListChange(
      a.contact_persons, c_.contact_persons,
      ListRules<ContactPerson, ContactPersonChange, std::string>{
          .change_key = [](const ContactPersonChange& ch) -> std::optional<std::string> {
            std::string k = Trimmed(ch.business_partner_id);
            return k.empty() ? std::nullopt : std::optional(k);
          },
          .key = [](const ContactPerson& x) { return x.business_partner_id; },
          .apply = [&](const ContactPerson* stored, const ContactPersonChange& ch) -> std::optional<ContactPerson> {
            ContactPerson x = stored ? *stored : ContactPerson{};
            if (!stored) {
              x.business_partner_id = Trimmed(ch.business_partner_id);
              // A contact person that names no partner cannot even be appended.
              if (x.business_partner_id.empty()) {
                Log("013", ch.sender_id, {"Contact person", "BusinessPartnerInternalID"});
                return std::nullopt;
              }
              if (!exists(x.business_partner_id, ch.sender_id)) return std::nullopt;
            }
            Set(x.function_code, ch.function_code);
            if (ch.main) x.main = *ch.main;
            return x;
          },
          .error = ListErrorFor<ContactPersonChange>(
              "Contact person", [](const ContactPersonChange& ch) { return Trimmed(ch.business_partner_id); },
              "BusinessPartnerInternalID")});

  a2x::ApplyListChange(
      a.relationships, c_.relationships,
      ListRules<Relationship, RelationshipChange, std::string>{
          .change_key = [](const RelationshipChange& ch) -> std::optional<std::string> {
            std::string role = Trimmed(ch.role_code), partner = Trimmed(ch.business_partner_id);
            if (role.empty() || partner.empty()) return std::nullopt;
            return role + "/" + partner;
          },
          .key = [](const Relationship& x) { return x.role_code + "/" + x.business_partner_id; },
          .apply = [&](const Relationship* stored, const RelationshipChange& ch) -> std::optional<Relationship> {
            Relationship x = stored ? *stored : Relationship{};
            if (!stored) {
              x.role_code = Trimmed(ch.role_code);
              x.business_partner_id = Trimmed(ch.business_partner_id);
              if (x.business_partner_id.empty()) {
                Log("013", ch.sender_id, {"Relationship", "BusinessPartnerInternalID"});
                return std::nullopt;
              }
              if (!exists(x.business_partner_id, ch.sender_id)) return std::nullopt;
            }
            Set(x.valid_from, ch.valid_from);
            Set(x.valid_to, ch.valid_to);
            return x;
          },
          .error = ListErrorFor<RelationshipChange>(
              "Relationship",
              [](const RelationshipChange& ch) { return Trimmed(ch.role_code) + "/" + Trimmed(ch.business_partner_id); },
              "RoleCode and BusinessPartnerInternalID")});

  a2x::ApplyListChange(
      a.communication_arrangements, c_.communication_arrangements,
      ListRules<CommunicationArrangement, CommunicationArrangementChange, std::string>{
          .change_key = [](const CommunicationArrangementChange& ch) -> std::optional<std::string> {
            std::string k = Trimmed(ch.correspondence_type_code);
            return k.empty() ? std::nullopt : std::optional(k);
          },
          .key = [](const CommunicationArrangement& x) { return x.correspondence_type_code; },
          .apply = [&](const CommunicationArrangement* stored,
                       const CommunicationArrangementChange& ch) -> std::optional<CommunicationArrangement> {
            CommunicationArrangement x = stored ? *stored : CommunicationArrangement{};
            if (!stored) x.correspondence_type_code = Trimmed(ch.correspondence_type_code);
            Set(x.medium_code, ch.medium_code);
            if (ch.recipient_partner_id) {
              std::string r = Trimmed(ch.recipient_partner_id);
              if (!r.empty() && r != x.recipient_partner_id && !exists(r, ch.sender_id)) return std::nullopt;
              x.recipient_partner_id = r;
            }
            return x;
          },
          .error = ListErrorFor<CommunicationArrangementChange>(
              "Communication arrangement",
              [](const CommunicationArrangementChange& ch) { return Trimmed(ch.correspondence_type_code); },
              "CorrespondenceTypeCode")});

  a2x::ApplyListChange(
      a.direct_responsibilities, c_.direct_responsibilities,
      ListRules<DirectResponsibility, DirectResponsibilityChange, std::string>{
          .change_key = [](const DirectResponsibilityChange& ch) -> std::optional<std::string> {
            std::string role = Trimmed(ch.role_code), employee = Trimmed(ch.employee_id);
            if (role.empty() || employee.empty()) return std::nullopt;
            return role + "/" + employee;
          },
          .key = [](const DirectResponsibility& x) { return x.role_code + "/" + x.employee_id; },
          .apply = [&](const DirectResponsibility* stored,
                       const DirectResponsibilityChange& ch) -> std::optional<DirectResponsibility> {
            if (stored) return *stored;  // nothing but the key: an existing one stays as it is
            DirectResponsibility x{Trimmed(ch.role_code), Trimmed(ch.employee_id), ""};
            if (x.employee_id.empty()) {
              Log("013", ch.sender_id, {"Direct responsibility", "EmployeeID"});
              return std::nullopt;
            }
            auto employee = activities::partners::FindByEmployeeId(tx_, x.employee_id);
            if (!employee.ok()) {
              if (store_error_.ok()) store_error_ = employee.error();
              return std::nullopt;
            }
            if (!*employee) {
              Log("005", ch.sender_id, {x.employee_id});
              return std::nullopt;
            }
            x.business_partner_id = (*employee)->id;
            return x;
          },
          .error = ListErrorFor<DirectResponsibilityChange>(
              "Direct responsibility",
              [](const DirectResponsibilityChange& ch) { return Trimmed(ch.role_code) + "/" + Trimmed(ch.employee_id); },
              "PartyRoleCode and EmployeeID")});

  a2x::ApplyListChange(
      a.sales_arrangements, c_.sales_arrangements,
      ListRules<SalesArrangement, SalesArrangementChange, std::string>{
          .change_key = [](const SalesArrangementChange& ch) -> std::optional<std::string> {
            std::string org = Trimmed(ch.sales_organisation_id), channel = Trimmed(ch.distribution_channel_code);
            if (org.empty() || channel.empty()) return std::nullopt;
            return org + "/" + channel + "/" + Trimmed(ch.division_code);
          },
          .key = [](const SalesArrangement& x) {
            return x.sales_organisation_id + "/" + x.distribution_channel_code + "/" + x.division_code;
          },
          .apply = [&](const SalesArrangement* stored, const SalesArrangementChange& ch) -> std::optional<SalesArrangement> {
            SalesArrangement x = stored ? *stored : SalesArrangement{};
            if (!stored) {
              x.sales_organisation_id = Trimmed(ch.sales_organisation_id);
              x.distribution_channel_code = Trimmed(ch.distribution_channel_code);
              x.division_code = Trimmed(ch.division_code);
            }
            Set(x.customer_group_code, ch.customer_group_code);
            Set(x.currency_code, ch.currency_code);
            return x;
          },
          .error = ListErrorFor<SalesArrangementChange>(
              "Sales arrangement",
              [](const SalesArrangementChange& ch) {
                return Trimmed(ch.sales_organisation_id) + "/" + Trimmed(ch.distribution_channel_code) + "/" +
                       Trimmed(ch.division_code);
              },
              "SalesOrganisationID and DistributionChannelCode")});

  a2x::ApplyListChange(
      a.payment_data, c_.payment_data,
      ListRules<PaymentData, PaymentDataChange, std::string>{
          .change_key = [](const PaymentDataChange& ch) -> std::optional<std::string> {
            std::string k = Trimmed(ch.direction_code);
            return k.empty() ? std::nullopt : std::optional(k);
          },
          .key = [](const PaymentData& x) { return x.direction_code; },
          .apply = [&](const PaymentData* stored, const PaymentDataChange& ch) -> std::optional<PaymentData> {
            PaymentData x = stored ? *stored : PaymentData{};
            if (!stored) x.direction_code = Trimmed(ch.direction_code);
            Set(x.payment_method_code, ch.payment_method_code);
            Set(x.bank_details_id, ch.bank_details_id);
            Set(x.payment_card_id, ch.payment_card_id);
            if (ch.alternative_payer_partner_id) {
              std::string p = Trimmed(ch.alternative_payer_partner_id);
              if (!p.empty() && p != x.alternative_payer_partner_id && !exists(p, ch.sender_id)) return std::nullopt;
              x.alternative_payer_partner_id = p;
            }
            return x;
          },
          .error = ListErrorFor<PaymentDataChange>(
              "Payment data", [](const PaymentDataChange& ch) { return Trimmed(ch.direction_code); },
              "PaymentDirectionCode")});

  // Texts are the one child node the change state applies to: to a change and to a deletion.
  auto stale = [&](const AgreementText& stored, const TextChange& ch) {
    if (!ch.change_state_id || a2x::ChangeStateMatches(*ch.change_state_id, stored.change_state_id)) return false;
    Log("011", ch.sender_id,
        {stored.type_code + "/" + stored.language_code, agreement_label_, Trimmed(ch.change_state_id)});
    return true;
  };
  a2x::ApplyListChange(
      a.texts, c_.texts,
      ListRules<AgreementText, TextChange, std::string>{
          .change_key = [](const TextChange& ch) -> std::optional<std::string> {
            std::string type = Trimmed(ch.type_code);
            if (type.empty()) return std::nullopt;
            return type + "/" + Trimmed(ch.language_code);
          },
          .key = [](const AgreementText& x) { return x.type_code + "/" + x.language_code; },
          .apply = [&](const AgreementText* stored, const TextChange& ch) -> std::optional<AgreementText> {
            if (stored && stale(*stored, ch)) return std::nullopt;
            AgreementText x = stored ? *stored : AgreementText{};
            if (!stored) {
              x.type_code = Trimmed(ch.type_code);
              x.language_code = Trimmed(ch.language_code);
            }
            if (ch.content) x.content = *ch.content;
            // A text keeps its change state unless it changes.
            if (!stored || x != *stored) x.change_state_id = a2x::NextChangeState(now_);
            return x;
          },
          .error = ListErrorFor<TextChange>(
              "Text", [](const TextChange& ch) { return Trimmed(ch.type_code) + "/" + Trimmed(ch.language_code); },
              "TextTypeCode"),
          .may_remove = [&](const AgreementText& stored, const TextChange& ch) { return !stale(stored, ch); }});
  return store_error_;
}

core::Status Replicator::Run() {
  const std::string id = Trimmed(c_.id);
  const std::string uuid = core::ToLower(Trimmed(c_.uuid));
  std::optional<BusinessAgreement> by_id, by_uuid;
  if (!id.empty()) {
    CW_ASSIGN_OR_RETURN(by_id, repository::FindById(tx_, id, lock_));
  }
  if (!uuid.empty()) {
    CW_ASSIGN_OR_RETURN(by_uuid, repository::FindByUuid(tx_, uuid, lock_));
  }
  if (!id.empty() && !uuid.empty() &&
      (by_id.has_value() != by_uuid.has_value() || (by_id && by_uuid && by_id->id != by_uuid->id))) {
    Log("007", c_.sender_id, {id, uuid});
    return core::Status::Ok();
  }
  std::optional<BusinessAgreement> current = by_id ? std::move(by_id) : std::move(by_uuid);
  agreement_label_ = current ? current->id : !id.empty() ? id : uuid;

  // The seed's rule: 04 creates when nothing matches, also (warned) when nothing identifies.
  const bool save_without_key = c_.action == Action::kSave && id.empty() && uuid.empty();
  Action action = c_.action;
  if (action == Action::kSave) action = current ? Action::kUpdate : Action::kCreate;
  switch (action) {
    case Action::kCreate:
      if (current) {
        Log("001", c_.sender_id, {agreement_label_});
        return core::Status::Ok();
      }
      break;
    case Action::kRemove:
      if (!current) {
        Log("033", c_.sender_id, {agreement_label_});
        result_.outcome = Outcome::kNotFound;
        return core::Status::Ok();
      }
      break;
    default:
      if (!current) {
        if (id.empty() && uuid.empty()) Log("012", c_.sender_id, {a2x::ActionCode(c_.action)});
        else Log("002", c_.sender_id, {agreement_label_});
        return core::Status::Ok();
      }
  }
  if (current && c_.change_state_id && !a2x::ChangeStateMatches(*c_.change_state_id, current->change_state_id)) {
    Log("003", c_.sender_id, {current->id, Trimmed(c_.change_state_id)});
    return core::Status::Ok();
  }
  if (action == Action::kDelete || action == Action::kRemove) {
    CW_RETURN_IF_ERROR(repository::Delete(tx_, current->id));
    Log("032", "", {current->id});
    result_.outcome = Outcome::kDeleted;
    result_.agreement_id = current->id;
    result_.uuid = current->uuid;
    return core::Status::Ok();
  }

  const bool create = !current;
  BusinessAgreement a;
  if (create) {
    a.id = id;
    a.uuid = uuid.empty() ? a2x::NewUuid(now_) : uuid;
    a.created_at = now_;
    a.created_by = user_;
  } else {
    a = *current;
  }
  if (action != Action::kNoAction) CW_RETURN_IF_ERROR(ApplyRoot(a, create));
  CW_RETURN_IF_ERROR(ApplyLists(a));
  if (failed_) return core::Status::Ok();
  if (!create && a == *current) {
    // Nothing changed: nothing is written, and a sender's ChangeStateID stays valid.
    Log("034", "", {a.id, std::to_string(a.revision)});
    Done(Outcome::kUnchanged, a);
    return core::Status::Ok();
  }

  if (create && a.id.empty()) {
    // Numbers are drawn only for what is saved; one the sender already used is skipped.
    for (int tries = 0; tries < 100 && a.id.empty(); ++tries) {
      CW_ASSIGN_OR_RETURN(std::string drawn, repository::DrawNumber(tx_));
      CW_ASSIGN_OR_RETURN(auto taken, repository::FindById(tx_, drawn));
      if (!taken) a.id = drawn;
    }
    if (a.id.empty())
      return core::MakeError(core::Code::kInternal, kMessageClass, "098", "No free business agreement number");
  }
  a.change_state_id = a2x::NextChangeState(now_);
  a.revision += 1;
  a.changed_at = now_;
  a.changed_by = user_;
  if (create) {
    CW_RETURN_IF_ERROR(repository::Insert(tx_, a));
    if (save_without_key) Log("020", "", {a.id});
    Log("030", "", {a.id, std::to_string(a.revision)});
    Done(Outcome::kCreated, a);
  } else {
    CW_RETURN_IF_ERROR(repository::Update(tx_, a));
    Log("031", "", {a.id, std::to_string(a.revision)});
    Done(Outcome::kChanged, a);
  }
  return core::Status::Ok();
}

}  // namespace

core::Status ApplyReplication(store::Tx& tx, const AgreementChange& change, const std::string& user,
                              core::SystemTime now, bool lock_rows, ReplicationResult& result) {
  result = ReplicationResult{};
  Replicator r(tx, change, user, now, lock_rows, result);
  return r.Run();
}

}  // namespace causeway::agreements
