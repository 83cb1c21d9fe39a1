// The JSON text of the change entities the tenant's REST API answers with (README "Shapes"),
// written straight into a string. A poll answers thousands of them: building a Boost.JSON tree
// per entity only to serialize it once took most of a poll's time. This is the one definition
// of these shapes; the trees of entity_json.h are parsed from it.
//
// The text is what boost::json::serialize writes for the same tree: members in this order,
// its escapes (\" \\ \b \f \n \r \t, other controls as \u00xx), numbers alike. Ill-formed
// UTF-8 in any text becomes U+FFFD (core::ValidUtf8), so the answer is always valid JSON.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/changes/change_desk.h"
#include "services/case_exchange/layout.h"

namespace causeway::services::case_exchange {

// "…" with `s` escaped.
void AppendJsonString(std::string& out, std::string_view s);
// null, true/false, an integer, a double, or a string.
void AppendJsonValue(std::string& out, const changes::PropertyValue& v);

// Writes many entities with one layout (a poll page): what the layout keeps is decided once
// per property, not once per entity. Holds references to its arguments; one thread at a time.
class EntityWriter {
 public:
  EntityWriter(const changes::Tenant& tenant, const changes::WorkflowSet& workflows, const Layout& layout);
  void AppendChangeEntity(std::string& out, const changes::ChangeState& s);
  void AppendCaseExchangeEntity(std::string& out, const changes::PolledOperation& p);

 private:
  void AppendProperties(std::string& out, const changes::ChangeState& s);
  void AppendRelated(std::string& out, const changes::ChangeState& s);  // remembered, see related_text_
  void WriteRelated(std::string& out, const changes::ChangeState& s);
  // Whether the layout keeps `field` of `relation`, the i-th related field of the record:
  // remembered by that position (records list their related fields in the same order).
  bool KeepsRelated(std::string_view relation, size_t i, std::string_view field);

  const changes::Tenant& tenant_;
  const changes::WorkflowSet& workflows_;
  const Layout& layout_;
  std::vector<std::string_view> kept_;  // table properties the layout keeps, in order (not all())
  struct Kept {
    std::string relation, field;
    bool keep = false;
  };
  std::vector<Kept> related_kept_;  // by position among a record's related fields
  // The related_properties text by requested-by person and owning group, the only parts of a
  // record it depends on (the tenant is fixed while the writer lives): a page's records share
  // a few people and groups, and writing each one's took a sixth of a poll.
  static constexpr size_t kRelatedTexts = 1024;  // the most remembered (a page has up to 4,000)
  std::unordered_map<std::string, std::string> related_text_;
  std::string related_key_;
};

// {"entity_type":"Change","properties":{…},"related_properties":{…}}: properties of the layout
// (Id always) in the property table's order, then ChangeAttachments when the layout has it;
// null values are left out, and so is a relation none of whose fields remain.
void AppendChangeEntity(std::string& out, const changes::ChangeState& s, const changes::Tenant& tenant,
                        const changes::WorkflowSet& workflows, const Layout& layout);
// The same plus "ext_properties" (Operation, ExternalSystem, and the record's ExternalId,
// ExternalStatus, ExternalEntityType for that system when linked) and "Comments" (the public
// ones).
void AppendCaseExchangeEntity(std::string& out, const changes::PolledOperation& p, const changes::Tenant& tenant,
                              const changes::WorkflowSet& workflows, const Layout& layout);
// {"Id","Body","PrivacyType","IsSystem","CreatedTime","Submitter":{"UserId"}}
void AppendComment(std::string& out, const changes::Comment& c);

}  // namespace causeway::services::case_exchange
