#include "services/task_activity/request_mapping.h"

namespace causeway::services::task_activity {
namespace {

using activities::Action;
using soap::XmlElement;

std::string Token(const std::string& s) { return soap::CollapseWhitespace(s); }

std::optional<std::string> OptToken(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return Token(*s);
}

Action ActionOf(XmlElement e, const char* attribute = "actionCode") {
  auto a = e.Attribute(attribute);
  if (!a) return Action::kSave;  // spec A.3.1: 04 when omitted
  return activities::ActionFromCode(Token(*a)).value_or(Action::kSave);
}

bool Indicator(XmlElement e, const char* attribute) {
  auto a = e.Attribute(attribute);
  if (!a) return false;
  std::string v = Token(*a);
  return v == "true" || v == "1";
}

activities::PartyInput Party(XmlElement e) {
  activities::PartyInput p;
  p.sender_id = Token(e.ChildText("ObjectNodeSenderTechnicalID").value_or(""));
  p.business_partner_id = Token(e.ChildText("BusinessPartnerInternalID").value_or(""));
  p.employee_id = Token(e.ChildText("EmployeeID").value_or(""));
  p.email = Token(e.ChildText("EmailURI").value_or(""));
  p.name = e.ChildText("Name").value_or("");
  std::string main = Token(e.ChildText("MainIndicator").value_or(""));
  p.main = main == "true" || main == "1";
  return p;
}

std::optional<bool> OptIndicator(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  std::string v = Token(*s);
  return v == "true" || v == "1";
}

void MapAttachmentFolder(XmlElement folder, activities::TaskChange& c) {
  c.attachment_folder_present = true;
  c.attachments.complete = Indicator(folder, "DocumentListCompleteTransmissionIndicator");
  for (XmlElement d : folder.Children()) {
    if (!d.Namespace().empty() || d.LocalName() != "Document") continue;
    activities::AttachmentChange a;
    a.action = ActionOf(d, "ActionCode");
    a.uuid = OptToken(d.ChildText("UUID"));
    a.visible = OptIndicator(d.ChildText("VisibleIndicator"));
    a.category_code = OptToken(d.ChildText("CategoryCode"));
    a.type_code = OptToken(d.ChildText("TypeCode"));
    a.mime_code = OptToken(d.ChildText("MIMECode"));
    a.name = d.ChildText("Name");
    a.alternative_name = d.ChildText("AlternativeName");
    a.description = d.ChildText("Description");
    a.link_uri = OptToken(d.ChildText("ExternalLinkWebURI"));
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
  c.action = ActionOf(t);
  c.reference_parties.complete = Indicator(t, "referencePartyListCompleteTransimissionIndicator");
  c.references.complete = Indicator(t, "businessTransactionDocumentReferenceListCompleteTransmissionIndicator");
  c.texts.complete = Indicator(t, "textListCompleteTransimissionIndicator");
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
        p.start_time_zone = OptToken(s.Attribute("timeZoneCode"));
      }
      if (XmlElement x = e.Child("EndDateTime")) {
        p.end = Token(x.Text());
        p.end_time_zone = OptToken(x.Attribute("timeZoneCode"));
      }
      c.period = std::move(p);
    } else if (n == "ProcessorParty") c.processor = Party(e);
    else if (n == "EmployeeResponsibleParty") c.responsible = Party(e);
    else if (n == "MainActivityParty") c.main_activity = Party(e);
    else if (n == "ReferenceParty") c.reference_parties.items.push_back(Party(e));
    else if (n == "BusinessTransactionDocumentReference") {
      activities::ReferenceChange r;
      r.action = ActionOf(e);
      r.sender_id = Token(e.ChildText("ObjectNodeSenderTechnicalID").value_or(""));
      r.id = OptToken(e.ChildText("ID"));
      r.uuid = OptToken(e.ChildText("UUID"));
      r.type_code = OptToken(e.ChildText("TypeCode"));
      r.role_code = OptToken(e.ChildText("RoleCode"));
      c.references.items.push_back(std::move(r));
    } else if (n == "Text") {
      activities::TextChange x;
      x.action = ActionOf(e);
      x.sender_id = Token(e.ChildText("ObjectNodeSenderTechnicalID").value_or(""));
      x.type_code = OptToken(e.ChildText("TextTypeCode"));
      x.language = OptToken(e.ChildText("LanguageCode"));
      x.content = e.ChildText("ContentText");
      x.created_at = OptToken(e.ChildText("CreationDateTime"));
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
      r.message_id = Token(e.ChildText("ID").value_or(""));
      r.message_uuid = Token(e.ChildText("UUID").value_or(""));
    } else if (e.LocalName() == "ActivityTask") {
      r.tasks.push_back(MapTask(e));
    }
  }
  return r;
}

}  // namespace causeway::services::task_activity
