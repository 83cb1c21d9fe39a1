#include "services/task_activity/request_mapping.h"

#include "soap/a2x_xml.h"

namespace causeway::services::task_activity {
namespace {

namespace a2x = soap::a2x;
using a2x::ChildIndicator;
using a2x::ChildString;
using a2x::ChildToken;
using soap::XmlElement;

std::string Token(std::string_view s) { return soap::CollapseWhitespace(s); }

activities::PartyInput Party(XmlElement e) {
  activities::PartyInput p;
  p.sender_id = ChildToken(e, "ObjectNodeSenderTechnicalID").value_or("");
  p.business_partner_id = ChildToken(e, "BusinessPartnerInternalID").value_or("");
  p.employee_id = ChildToken(e, "EmployeeID").value_or("");
  p.email = ChildToken(e, "EmailURI").value_or("");
  p.name = ChildString(e, "Name").value_or("");
  p.main = ChildIndicator(e, "MainIndicator").value_or(false);
  return p;
}

void MapAttachmentFolder(XmlElement folder, activities::TaskChange& c) {
  c.attachment_folder_present = true;
  c.attachment_folder_action = a2x::ActionAttribute(folder, "ActionCode");
  c.attachments.complete = a2x::IndicatorAttribute(folder, "DocumentListCompleteTransmissionIndicator");
  for (XmlElement d : folder.Children()) {
    if (!d.Namespace().empty() || d.LocalName() != "Document") continue;
    activities::AttachmentChange a;
    a.action = a2x::ActionAttribute(d, "ActionCode");
    a.uuid = ChildToken(d, "UUID");
    a.visible = ChildIndicator(d, "VisibleIndicator");
    a.category_code = ChildToken(d, "CategoryCode");
    a.type_code = ChildToken(d, "TypeCode");
    a.mime_code = ChildToken(d, "MIMECode");
    a.name = ChildString(d, "Name");
    a.alternative_name = ChildString(d, "AlternativeName");
    a.description = ChildString(d, "Description");
    a.link_uri = ChildToken(d, "ExternalLinkWebURI");
    if (XmlElement content = d.Child("FileContent")) {
      if (XmlElement binary = content.Child("BinaryObject")) {
        // base64Binary: whitespace carries no data.
        std::string base64;
        for (char ch : binary.Text())
          if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t') base64 += ch;
        a.content_base64 = std::move(base64);
        if (auto m = binary.Attribute("mimeCode"); m && !a.mime_code) a.mime_code = Token(*m);
        if (auto f = binary.Attribute("fileName")) a.file_name = *f;
      }
    }
    c.attachments.items.push_back(std::move(a));
  }
}

activities::TaskChange MapTask(XmlElement t) {
  activities::TaskChange c;
  c.action = a2x::ActionAttribute(t);
  c.reference_parties.complete = a2x::IndicatorAttribute(t, "referencePartyListCompleteTransimissionIndicator");
  c.references.complete =
      a2x::IndicatorAttribute(t, "businessTransactionDocumentReferenceListCompleteTransmissionIndicator");
  c.texts.complete = a2x::IndicatorAttribute(t, "textListCompleteTransimissionIndicator");
  for (XmlElement e : t.Children()) {
    if (!e.Namespace().empty()) continue;
    const std::string_view n = e.LocalName();
    if (n == "ObjectNodeSenderTechnicalID") c.sender_id = Token(e.Text());
    else if (n == "ChangeStateID") c.change_state_id = Token(e.Text());
    else if (n == "ID") c.id = Token(e.Text());
    else if (n == "UUID") c.uuid = Token(e.Text());
    else if (n == "DocumentTypeCode") c.document_type_code = Token(e.Text());
    else if (n == "Name") c.name = e.Text();
    else if (n == "PriorityCode") c.priority_code = Token(e.Text());
    else if (n == "InformationSensitivityCode") c.sensitivity_code = Token(e.Text());
    else if (n == "GroupCode") c.group_code = Token(e.Text());
    else if (n == "DataOriginTypeCode") c.data_origin_code = Token(e.Text());
    else if (n == "CompletionPercent") c.completion_percent = Token(e.Text());
    else if (n == "LifeCycleStatusCode") c.life_cycle_status = Token(e.Text());
    else if (n == "ScheduledPeriod") {
      activities::PeriodInput p;
      if (XmlElement s = e.Child("StartDateTime")) {
        p.start = Token(s.Text());
        if (auto zone = s.Attribute("timeZoneCode")) p.start_time_zone = Token(*zone);
      }
      if (XmlElement x = e.Child("EndDateTime")) {
        p.end = Token(x.Text());
        if (auto zone = x.Attribute("timeZoneCode")) p.end_time_zone = Token(*zone);
      }
      c.period = std::move(p);
    } else if (n == "ProcessorParty") c.processor = Party(e);
    else if (n == "EmployeeResponsibleParty") c.responsible = Party(e);
    else if (n == "MainActivityParty") c.main_activity = Party(e);
    else if (n == "ReferenceParty") c.reference_parties.items.push_back(Party(e));
    else if (n == "ActivityUnitParty")
      c.activity_unit = ChildToken(e, "OrganisationalCentreID").value_or("");
    else if (n == "BusinessTransactionDocumentReference") {
      activities::ReferenceChange r;
      r.action = a2x::ActionAttribute(e);
      r.sender_id = ChildToken(e, "ObjectNodeSenderTechnicalID").value_or("");
      r.id = ChildToken(e, "ID");
      r.uuid = ChildToken(e, "UUID");
      r.type_code = ChildToken(e, "TypeCode");
      r.role_code = ChildToken(e, "RoleCode");
      c.references.items.push_back(std::move(r));
    } else if (n == "Text") {
      activities::TextChange x;
      x.action = a2x::ActionAttribute(e);
      x.sender_id = ChildToken(e, "ObjectNodeSenderTechnicalID").value_or("");
      x.type_code = ChildToken(e, "TextTypeCode");
      x.language = ChildToken(e, "LanguageCode");
      x.content = ChildString(e, "ContentText");
      x.created_at = ChildToken(e, "CreationDateTime");
      c.texts.items.push_back(std::move(x));
    } else if (n == "AttachmentFolder") {
      MapAttachmentFolder(e, c);
    }
  }
  return c;
}

}  // namespace

activities::BundleRequest MapBundleRequest(soap::XmlElement payload) {
  activities::BundleRequest r;
  for (XmlElement e : payload.Children()) {
    if (!e.Namespace().empty()) continue;
    if (e.LocalName() == "BasicMessageHeader") {
      r.message_id = ChildToken(e, "ID").value_or("");
      r.message_uuid = ChildToken(e, "UUID").value_or("");
    } else if (e.LocalName() == "ActivityTask") {
      r.tasks.push_back(MapTask(e));
    }
  }
  return r;
}

}  // namespace causeway::services::task_activity
