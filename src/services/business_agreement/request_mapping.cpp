#include "services/business_agreement/request_mapping.h"

#include "core/ascii.h"
#include "soap/a2x_xml.h"

namespace causeway::services::business_agreement {
namespace {

namespace a2x = soap::a2x;
using a2x::ChildToken;
using soap::XmlElement;

// The parts every child node shares.
template <typename C>
C Node(XmlElement e) {
  C c;
  c.action = a2x::ActionAttribute(e);
  c.sender_id = ChildToken(e, "ObjectNodeSenderTechnicalID").value_or("");
  c.change_state_id = ChildToken(e, "ChangeStateID");
  return c;
}

agreements::AgreementChange MapAgreement(XmlElement root) {
  agreements::AgreementChange c = Node<agreements::AgreementChange>(root);
  c.contact_persons.complete = a2x::IndicatorAttribute(root, "contactPersonListCompleteTransmissionIndicator");
  c.relationships.complete = a2x::IndicatorAttribute(root, "relationshipListCompleteTransmissionIndicator");
  c.communication_arrangements.complete =
      a2x::IndicatorAttribute(root, "communicationArrangementListCompleteTransmissionIndicator");
  c.direct_responsibilities.complete =
      a2x::IndicatorAttribute(root, "directResponsibilityListCompleteTransmissionIndicator");
  c.sales_arrangements.complete = a2x::IndicatorAttribute(root, "salesArrangementListCompleteTransmissionIndicator");
  c.payment_data.complete = a2x::IndicatorAttribute(root, "paymentDataListCompleteTransmissionIndicator");
  c.texts.complete = a2x::IndicatorAttribute(root, "textListCompleteTransmissionIndicator");
  c.id = ChildToken(root, "ID");
  c.uuid = ChildToken(root, "UUID");
  c.category_code = ChildToken(root, "CategoryCode");
  c.type_code = ChildToken(root, "TypeCode");
  c.name = a2x::ChildString(root, "Name");
  c.business_partner_id = ChildToken(root, "BusinessPartnerInternalID");
  if (XmlElement ad = root.Child("AccountDetermination")) {
    c.account_determination_present = true;
    c.account_determination_code = ChildToken(ad, "AccountDeterminationCode");
    c.tolerance_group_code = ChildToken(ad, "ToleranceGroupCode");
  }
  for (XmlElement e : root.Children()) {
    if (!e.Namespace().empty()) continue;
    const std::string_view n = e.LocalName();
    if (n == "ContactPerson") {
      auto x = Node<agreements::ContactPersonChange>(e);
      x.business_partner_id = ChildToken(e, "BusinessPartnerInternalID");
      x.function_code = ChildToken(e, "FunctionCode");
      x.main = a2x::ChildIndicator(e, "MainIndicator");
      c.contact_persons.items.push_back(std::move(x));
    } else if (n == "Relationship") {
      auto x = Node<agreements::RelationshipChange>(e);
      x.role_code = ChildToken(e, "RoleCode");
      x.business_partner_id = ChildToken(e, "BusinessPartnerInternalID");
      if (XmlElement period = e.Child("ValidityPeriod")) {
        x.valid_from = ChildToken(period, "StartDate");
        x.valid_to = ChildToken(period, "EndDate");
      }
      c.relationships.items.push_back(std::move(x));
    } else if (n == "CommunicationArrangement") {
      auto x = Node<agreements::CommunicationArrangementChange>(e);
      x.correspondence_type_code = ChildToken(e, "CorrespondenceTypeCode");
      x.medium_code = ChildToken(e, "CommunicationMediumTypeCode");
      x.recipient_partner_id = ChildToken(e, "RecipientBusinessPartnerInternalID");
      c.communication_arrangements.items.push_back(std::move(x));
    } else if (n == "DirectResponsibility") {
      auto x = Node<agreements::DirectResponsibilityChange>(e);
      x.role_code = ChildToken(e, "PartyRoleCode");
      x.employee_id = ChildToken(e, "EmployeeID");
      c.direct_responsibilities.items.push_back(std::move(x));
    } else if (n == "SalesArrangement") {
      auto x = Node<agreements::SalesArrangementChange>(e);
      x.sales_organisation_id = ChildToken(e, "SalesOrganisationID");
      x.distribution_channel_code = ChildToken(e, "DistributionChannelCode");
      x.division_code = ChildToken(e, "DivisionCode");
      x.customer_group_code = ChildToken(e, "CustomerGroupCode");
      x.currency_code = ChildToken(e, "CurrencyCode");
      c.sales_arrangements.items.push_back(std::move(x));
    } else if (n == "PaymentData") {
      auto x = Node<agreements::PaymentDataChange>(e);
      x.direction_code = ChildToken(e, "PaymentDirectionCode");
      x.payment_method_code = ChildToken(e, "PaymentMethodCode");
      x.bank_details_id = ChildToken(e, "BankDetailsID");
      x.payment_card_id = ChildToken(e, "PaymentCardID");
      x.alternative_payer_partner_id = ChildToken(e, "AlternativePayerBusinessPartnerInternalID");
      c.payment_data.items.push_back(std::move(x));
    } else if (n == "Text") {
      auto x = Node<agreements::TextChange>(e);
      x.type_code = ChildToken(e, "TextTypeCode");
      x.language_code = ChildToken(e, "LanguageCode");
      x.content = a2x::ChildString(e, "ContentText");
      c.texts.items.push_back(std::move(x));
    }
  }
  return c;
}

}  // namespace

agreements::ReplicationRequest MapReplicationRequest(XmlElement payload) {
  agreements::ReplicationRequest r;
  if (XmlElement header = payload.Child("BasicMessageHeader")) {
    r.message_id = ChildToken(header, "ID").value_or("");
    r.message_uuid = ChildToken(header, "UUID").value_or("");
  }
  if (XmlElement agreement = payload.Child("BusinessAgreement")) r.agreement = MapAgreement(agreement);
  return r;
}

std::string AgreementQueueKey(XmlElement payload) {
  XmlElement agreement = payload.Child("BusinessAgreement");
  if (!agreement) return {};
  std::string id = ChildToken(agreement, "ID").value_or("");
  if (!id.empty()) return "ID:" + id;
  std::string uuid = ChildToken(agreement, "UUID").value_or("");
  if (!uuid.empty()) return "UUID:" + core::ToLower(uuid);
  return {};
}

}  // namespace causeway::services::business_agreement
