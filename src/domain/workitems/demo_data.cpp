#include "domain/workitems/demo_data.h"

#include <charconv>

#include "core/time_format.h"
#include "domain/workitems/payload_attributes.h"
#include "domain/workitems/workitems_errors.h"

namespace causeway::workitems {
namespace {

// "YYYYMMDDhhmmss" (UTC) as a time point; the demo's literals are valid.
core::SystemTime Stamp(std::string_view s) {
  auto n = [&](size_t at, size_t len) { return std::stoi(std::string(s.substr(at, len))); };
  int64_t days = core::DaysFromCivil(n(0, 4), static_cast<unsigned>(n(4, 2)), static_cast<unsigned>(n(6, 2)));
  int64_t seconds = days * 86400 + n(8, 2) * 3600 + n(10, 2) * 60 + n(12, 2);
  return core::FromUnixMillis(seconds * 1000);
}

std::vector<FieldMapping> CopyEverything() {
  std::vector<FieldMapping> out;
  for (const auto& a : PayloadAttributes()) out.push_back({std::string(a.name), MappingRule::kCopyValue, ""});
  return out;
}

StatusProfile ItemProfile(std::string name) {
  StatusProfile p;
  p.name = std::move(name);
  p.initial = "E0001";
  p.statuses = {{"E0001", "Created"},          {"E0002", "In Development"},
                {"E0003", "To Be Tested"},     {"E0004", "Successfully Tested"},
                {"E0005", "Handed Over to Release"}, {"E0006", "Completed"},
                {"E0007", "Withdrawn"}};
  p.transitions = {{"E0001", "E0002"}, {"E0002", "E0003"}, {"E0003", "E0002"}, {"E0003", "E0004"},
                   {"E0004", "E0002"}, {"E0004", "E0005"}, {"E0005", "E0006"}, {"E0001", "E0007"},
                   {"E0002", "E0007"}};
  return p;
}

ProcessTypeSettings ItemSettings(std::string process_type) {
  ProcessTypeSettings s;
  s.process_type = std::move(process_type);
  s.jump_in_url = "/browse/#EXTERNAL_ID#";
  s.fields = CopyEverything();
  s.partner_functions = {"/SALM/03", "/SALM/09"};
  s.text_ids = {"CD99"};
  s.date_types = {"S1_BUILD_FIN"};
  s.inbound_status = {{"Start Development", "E0002"}, {"In Progress", "E0002"}, {"In Review", "E0003"},
                      {"Ready for Test", "E0003"},    {"Tested", "E0004"},      {"Reopened", "E0002"},
                      {"Done", "E0005"},              {"Withdrawn", "E0007"}};
  return s;
}

NewDocument Doc(const char* id, const char* file, const char* type, const char* type_text, const char* author,
                const char* content) {
  NewDocument d;
  d.meta.id = id;
  d.meta.kind = DocumentKind::kDocument;
  d.meta.file_name = file;
  d.meta.title = file;
  d.meta.status = "COPY_EDITING";
  d.meta.status_text = "Copy Editing";
  d.meta.type = type;
  d.meta.type_text = type_text;
  d.meta.author = author;
  d.meta.author_name = author;
  d.meta.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  d.content = content;
  return d;
}

}  // namespace

std::optional<RfcDestination> DemoToolDestination(std::string_view url) {
  RfcDestination d;
  d.name = "JIRA_DEMO";
  d.user = "SOLMAN_SYNC";
  d.password = exchange::Secret("Welcome1!");
  if (url.substr(0, 8) == "https://") {
    d.protocol = "https";
    d.port = 443;
    url.remove_prefix(8);
  } else if (url.substr(0, 7) == "http://") {
    d.protocol = "http";
    d.port = 80;
    url.remove_prefix(7);
  } else {
    return std::nullopt;
  }
  const size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) d.path_prefix = std::string(url.substr(slash));
  // "[::1]:8083": the port's colon comes after the bracket.
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    int value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535)
      return std::nullopt;
    d.port = value;
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) return std::nullopt;
  d.host = std::string(authority);
  return d;
}

Customizing DemoCustomizing(const std::string& tool_base_url) {
  Customizing c;
  RfcDestination jira;
  if (auto d = DemoToolDestination(tool_base_url)) {
    jira = std::move(*d);
  } else {
    jira.name = "JIRA_DEMO";  // no host: Validate names the field
    jira.host.clear();
  }
  c.destinations = {jira};
  c.projects = {{"ST_OST_SP2", "ST-OST SP02 Master Projekt"}};
  c.project_mappings = {{.project = "ST_OST_SP2",
                         .destination = "JIRA_DEMO",
                         .create_uri = "/plugins/servlet/IssueService.svc/Issues",
                         .update_uri = "/plugins/servlet/IssueService.svc/Issues('#EXTERNAL_ID#')",
                         .jump_in_url = "/projects/BFD",
                         .profile = "/SALM/FBDF"}};

  IntegrationProfile fbdf;
  fbdf.name = "/SALM/FBDF";
  fbdf.description = "Focused Build: external tool integration (delivered example profile)";
  ProcessTypeSettings wp;
  wp.process_type = std::string(kWorkPackage);
  wp.jump_in_url = "/browse/#EXTERNAL_ID#";
  wp.fields = CopyEverything();
  wp.partner_functions = {"/SALM/01", "/SALM/03", "/SALM/04", "/SALM/09"};
  wp.text_ids = {"S115"};
  wp.date_types = {"S1_BUILD_FIN"};
  fbdf.process_types = {wp, ItemSettings(std::string(kWorkItemGeneral)), ItemSettings(std::string(kWorkItemNormal))};
  c.profiles = {fbdf};

  StatusProfile wp_profile;
  wp_profile.name = "S1ITHEAD";
  wp_profile.initial = "E0001";
  wp_profile.statuses = {{"E0001", "Created"},         {"E0016", "Scoping"},        {"E0004", "Scope Finalized"},
                         {"E0022", "To be Developed"}, {"E0017", "In Development"}, {"E0018", "Scope Extension"},
                         {"E0019", "Rejected"},        {"E0020", "Completed"}};
  wp_profile.transitions = {{"E0001", "E0016"}, {"E0016", "E0004"}, {"E0004", "E0022"}, {"E0022", "E0017"},
                            {"E0017", "E0018"}, {"E0018", "E0016"}, {"E0001", "E0019"}, {"E0016", "E0019"},
                            {"E0017", "E0020"}};
  c.status_profiles = {wp_profile, ItemProfile("S1CGHEAD"), ItemProfile("S1MJHEAD")};
  c.process_types = {{"S1IT", "Work Package", "S1ITHEAD"},
                     {"S1CG", "Work Item (General Change)", "S1CGHEAD"},
                     {"S1MJ", "Work Item (Normal Change)", "S1MJHEAD"}};
  c.business_partners = {
      {"786", "Julie Armstrong", "julie.armstrong@examplehost.domain", {}},
      {"4711", "Gerd Becker", "gerd.becker@examplehost.domain", {}},
      {"801", "Isabelle Dupont", "isabelle.dupont@examplehost.domain", {}},
      {"4000", "External Dev Team 1", "", {{kTriggerIdType, kTriggerIdNumber}}},
      {"4001", "Internal Dev Team", "", {}},
  };
  c.texts.partner_functions = {{"/SALM/01", "Business Process Expert"},
                               {"/SALM/03", "Work Package Owner"},
                               {"/SALM/04", "Project Manager"},
                               {"/SALM/09", "Dev Team"}};
  c.texts.text_ids = {{"CD99", "Overview"}};  // S115 has no text: TEXTID_TXT "" as in the appendix
  c.texts.date_types = {{"S1_BUILD_FIN", "Build Completed"}};
  c.texts.priorities = {{1, "1: Very High"}, {2, "2: High"}, {3, "3: Medium"}, {4, "4: Low"}};
  c.texts.impacts = {{1, "1: High"}, {2, "2: Medium"}, {3, "3: Low"}};
  c.texts.urgencies = {{1, "1: High"}, {2, "2: Medium"}, {3, "3: Low"}};
  c.texts.classifications = {{"1", "WRICEF"}, {"2", "Configuration"}};
  return c;
}

core::Status SeedDemoObjects(WorkItems& items) {
  const Actor actor{"JIRASYNC", ""};
  // Nodes of one store that start together each seed: an object is created unless it exists,
  // and a create that fails because another node's create won meanwhile is no error. Each object
  // on its own, so that a start interrupted between them is completed by the next.
  auto ensure = [&](const NewObject& o, std::string_view package) -> core::Status {
    auto existing = items.Get(o.guid);
    if (existing.ok()) return core::Status::Ok();
    if (existing.error().code != core::Code::kNotFound) return existing.error();
    auto created = items.Create(o, package, actor);
    if (created.ok() || items.Get(o.guid).ok()) return core::Status::Ok();
    return created.error();
  };

  NewObject wp;
  wp.process_type = std::string(kWorkPackage);
  wp.guid = kDemoPackageGuid;
  wp.ticket_id = "8000013587";
  wp.description = "Work Package J45_PO Form_01";
  wp.project = "ST_OST_SP2";
  wp.status = "E0022";
  wp.created_at = Stamp("20160406092754");
  wp.created_by = "JIRASYNC";
  wp.changed_at = Stamp("20160705140732");
  wp.changed_by = "testuser";
  ObjectPatch& f = wp.fields;
  f.priority = 2;
  f.effort_hundredths = 2448000;
  f.effort_unit = "MIN";
  f.ppm_project_id = "SP03_W1_MABU_2";
  f.ppm_project_text = "MANGO Build Project 2 SP03 Wave 1";
  f.ppm_completion = 30;
  f.forecast = Release{"1.0", "ST-OST_SP2", "S_MAJOR", "20150928"};
  f.actual = Release{"1.1", "ST-OST_SP2", "S_MINOR", "20151005"};
  f.classification = "1";
  f.wricef = std::vector<WricefAttribute>{{"R", "Report"}, {"F", "Form"}};
  f.partners = std::vector<PartnerAssignment>{
      {"/SALM/01", "786", false}, {"/SALM/03", "4711", false}, {"/SALM/04", "801", false}, {"/SALM/09", "4000", false}};
  f.appointments = std::vector<Appointment>{{"S1_BUILD_FIN", "20160205000000", "UTC", false, 0, ""}};
  f.categories = std::vector<Category>{{"005056836E761EE4A0A37568FF6E0944", "Industry Specific Solution", 3},
                                       {"005056836E761EE4A0A37568F9B3C939", "Functional", 2},
                                       {"005056836E761EE4A0A37568F9038938", "Applications", 1}};
  f.process_structure = std::vector<ProcessNode>{
      {"ST_OST_SP2", "710FB9CF34604ABBA6FEB2A641F27654", "Check Freight Order Update",
       " E2E TM-20 Transport Planning Full Truck or Less Truck Load", " E2E Processes"},
      {"ST_OST_SP2", "8FE8D320FC66488DB8E7740B94EE54DB", "Check Freight Order Update", " FSB-20-10 Invoice Posting",
       " PH FSB - Freight Settlement & Billing"}};
  wp.texts = {{"S115", "4711", Stamp("20160406113420"),
               "Requirement_J45_POform_1\n\nSAP's PO Form does not meet customer expectation. Layout need to be "
               "changed according to corporate design from customer.\nIn addition 10 fields need to be added to each "
               "PO Line Item and 2 fields to PO header."}};
  wp.documents = {Doc("00505683226E1ED68CF740FDA3BA396B", "Functional Specification_J45.docx", "ZFW",
                      "Functional Specification type WRICEF", "LZ",
                      "Functional specification J45: PO form layout (Causeway demo content)\n"),
                  Doc("00505683226E1EE68FC20A10CAC24149", "Test Case 1.docx", "ZFT", "Single Functional Test", "SR",
                      "Test case 1 for J45 (Causeway demo content)\n")};
  NewDocument attachment;
  attachment.meta.id = "00505683226E1EE69A4C5B6D7E8F9001";
  attachment.meta.kind = DocumentKind::kAttachment;
  attachment.meta.file_name = "Attachment";
  attachment.meta.technical_name = "Attachment.docx";
  attachment.meta.extension = "DOCX";
  attachment.meta.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  attachment.content = "Attachment of work package J45 (Causeway demo content)\n";
  NewDocument link;
  link.meta.id = "00505683226E1EE69A4C5B6D7E8F9002";
  link.meta.kind = DocumentKind::kAttachment;
  link.meta.file_name = "Link to Requirement - BENS_03_0007";
  link.meta.technical_name = "Link to Requirement - BENS_03_0007.URL";
  link.meta.extension = "URL";
  link.meta.link_url = "https://examplehost.domain/p/portal#/glossary/028a5b8b8c65470ab65882f4bc2ac2e9";
  wp.documents.push_back(attachment);
  wp.documents.push_back(link);
  CW_RETURN_IF_ERROR(ensure(wp, ""));

  auto item = [&](const char* guid, const char* ticket, std::string_view type, const char* description) {
    NewObject wi;
    wi.process_type = std::string(type);
    wi.guid = guid;
    wi.ticket_id = ticket;
    wi.description = description;
    wi.created_at = Stamp("20160406100512");
    wi.created_by = "JIRASYNC";
    wi.changed_at = Stamp("20160705140732");
    wi.changed_by = "testuser";
    wi.fields.priority = 2;
    wi.fields.effort_hundredths = 960000;
    wi.fields.effort_unit = "MIN";
    wi.fields.classification = "1";
    wi.fields.wricef = std::vector<WricefAttribute>{{"F", "Form"}};
    wi.fields.partners = std::vector<PartnerAssignment>{{"/SALM/03", "4711", true}, {"/SALM/09", "4000", false}};
    wi.fields.appointments = std::vector<Appointment>{{"S1_BUILD_FIN", "20160205000000", "UTC", false, 0, ""}};
    wi.texts = {{"CD99", "4711", Stamp("20160406100512"), std::string(description) + ": see the work package's requirement."}};
    return wi;
  };
  for (const NewObject& wi :
       {item(kDemoItemGuid, "8000013139", kWorkItemGeneral, "Work Item J45_PO Form_01 Layout"),
        item(kDemoItem2Guid, "8000013588", kWorkItemNormal, "Work Item J45_PO Form_01 Fields")}) {
    CW_RETURN_IF_ERROR(ensure(wi, kDemoPackageGuid));
  }
  return core::Status::Ok();
}

}  // namespace causeway::workitems
