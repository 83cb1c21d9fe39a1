// The JSON of the Service Management REST surfaces for changes (spec B.3.2-B.3.4), both ways:
// entities with `properties` (chosen by a layout), `related_properties`, and for the case
// exchange `ext_properties` and `Comments`; comments; the attachment list as the JSON *string*
// the spec shows; and parsing what clients send into the domain's inputs. Thin: no domain
// decisions here, only shapes.
#pragma once

#include <boost/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/changes/change_desk.h"
#include "services/case_exchange/layout.h"

namespace causeway::services::case_exchange {

boost::json::value ToJson(const changes::PropertyValue& v);

// The entities of entity_writer.h as trees (parsed from that text: one definition per shape),
// for answers that embed them; a page of many is written as text directly.
// {"entity_type":"Change","properties":{…},"related_properties":{…}}; null values are left out.
boost::json::object ChangeEntity(const changes::ChangeState& s, const changes::Tenant& tenant,
                                 const changes::WorkflowSet& workflows, const Layout& layout);
// The same plus "ext_properties" (Operation, ExternalSystem, and the record's ExternalId,
// ExternalStatus, ExternalEntityType for that system when linked) and "Comments" (public ones).
boost::json::object CaseExchangeEntity(const changes::PolledOperation& p, const changes::Tenant& tenant,
                                       const changes::WorkflowSet& workflows, const Layout& layout);
// {"Id","Body","PrivacyType","IsSystem","CreatedTime","Submitter":{"UserId"}}
boost::json::object CommentJson(const changes::Comment& c);

// {"complexTypeProperties":[{"properties":{"id","file_name","file_extension","size","mime_type",
// "Creator","LastUpdateTime"}}]} serialized: the value of ChangeAttachments.
std::string AttachmentsJsonString(const std::vector<changes::Attachment>& list);
// Its parser (the client sends the whole new list); kBadRequest CAUSEWAY/CX/120.
core::Result<std::vector<changes::Attachment>> ParseAttachments(std::string_view text);

// `properties` (ChangeAttachments taken out and parsed) and, when `with_comments`, `Comments`
// of one entity. kBadRequest CAUSEWAY/CX/12x naming the member.
core::Result<changes::ChangeInput> ParseChangeInput(const boost::json::object& entity, bool with_comments);
// One entity of POST /ces: entity_type, properties, Comments, ext_properties.
core::Result<changes::IncomingOperation> ParseIncoming(const boost::json::object& entity);
// A comment as POSTed to collaboration/comments (or inside Comments).
core::Result<changes::CommentInput> ParseComment(const boost::json::object& comment);

}  // namespace causeway::services::case_exchange
