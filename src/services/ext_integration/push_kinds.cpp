#include "services/ext_integration/push_kinds.h"
#include "core/url.h"

#include <boost/json.hpp>

#include "domain/workitems/push.h"
#include "services/ext_integration/push_payload.h"

namespace causeway::services::ext_integration {
namespace {

namespace json = boost::json;
using exchange::OutgoingMessage;

core::Error Failure(std::string text) {
  return core::MakeError(core::Code::kBadRequest, "CAUSEWAY/FB", "031", std::move(text));
}

std::string EncodeResult(const CreateResult& r, bool with_parent) {
  json::object o{{"EXTERNAL_ID", r.external_id}};
  if (with_parent) o["PARENT_EXTERNAL_ID"] = r.parent_external_id;
  return json::serialize(o);
}

// The dependency's kept create result, or why there is none.
core::Result<CreateResult> DependencyResult(const OutgoingMessage& m, std::string_view whose) {
  if (m.dependency && m.dependency->result) {
    if (auto r = ParseCreateResult(*m.dependency->result); r && !r->external_id.empty()) return *r;
  }
  return Failure(std::string(whose) + " has no EXTERNAL_ID: its create was not delivered (" +
                 (m.dependency && m.dependency->state ? std::string(exchange::MessageStateName(*m.dependency->state))
                                                      : std::string("no create is stored")) +
                 ")");
}

class FbPushKind final : public exchange::MessageKind {
 public:
  FbPushKind(bool package, bool create, std::shared_ptr<const SendContext> context)
      : package_(package), create_(create), context_(std::move(context)) {}

  bool creates() const override { return create_; }

  core::Result<exchange::OutboundRequest> BuildRequest(const OutgoingMessage& m) const override {
    CW_ASSIGN_OR_RETURN(DecodedPush push, DecodePushPayload(m.payload));
    const PushEnvelope& e = push.envelope;
    std::string external_id, parent_external_id;
    if (create_) {
      if (!package_) {
        CW_ASSIGN_OR_RETURN(CreateResult parent, DependencyResult(m, "the work package of ticket " + e.ticket_id));
        parent_external_id = parent.external_id;
      }
    } else {
      CW_ASSIGN_OR_RETURN(CreateResult own, DependencyResult(m, "ticket " + e.ticket_id));
      external_id = own.external_id;
      parent_external_id = own.parent_external_id;
    }
    std::vector<std::string> links;
    if (!e.links.empty()) {
      auto ctx = context_->Get(std::chrono::seconds(30));
      if (!ctx) return Failure("document links cannot be signed: the Focused Build module did not start");
      const core::SystemTime now = ctx->clock->Now();
      for (const auto& l : e.links) links.push_back(ctx->links->Make(l, e.link_base, e.sap_client, now));
    }
    exchange::OutboundRequest r;
    if (create_) {
      r.method = e.create_method;
      r.path = e.create_uri;
    } else {
      r.method = e.update_method;
      CW_ASSIGN_OR_RETURN(r.path, exchange::FillPlaceholders(e.update_uri, {{"EXTERNAL_ID", core::PercentEncode(external_id)}}));
    }
    CW_ASSIGN_OR_RETURN(r.body, FillPushTemplate(push.body_template, external_id, parent_external_id, links));
    r.headers.Set("Content-Type", "application/json");
    r.headers.Set("Accept", "application/json");
    return r;
  }

  core::Result<std::string> ResultOf(const OutgoingMessage& m, const exchange::HttpOutcome& answer) const override {
    if (!create_) return std::string();
    CW_ASSIGN_OR_RETURN(std::string id, ExternalIdOfAnswer(answer.body));
    CreateResult r{id, {}};
    if (!package_) {
      CW_ASSIGN_OR_RETURN(CreateResult parent, DependencyResult(m, "the work package"));
      r.parent_external_id = parent.external_id;
    }
    return EncodeResult(r, !package_);
  }

 private:
  const bool package_, create_;
  std::shared_ptr<const SendContext> context_;
};

}  // namespace

void SendContext::Set(std::shared_ptr<const DocumentLinks> links, const core::Clock* clock) {
  {
    std::lock_guard lock(mu_);
    snapshot_ = {std::move(links), clock};
  }
  ready_.notify_all();
}

std::optional<SendContext::Snapshot> SendContext::Get(std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  if (!ready_.wait_for(lock, timeout, [&] { return snapshot_.links && snapshot_.clock; })) return std::nullopt;
  return snapshot_;
}

exchange::KindRegistry PushKinds(std::shared_ptr<const SendContext> context) {
  exchange::KindRegistry kinds;
  kinds[workitems::kKindWpCreate] = std::make_shared<FbPushKind>(true, true, context);
  kinds[workitems::kKindWpUpdate] = std::make_shared<FbPushKind>(true, false, context);
  kinds[workitems::kKindWiCreate] = std::make_shared<FbPushKind>(false, true, context);
  kinds[workitems::kKindWiUpdate] = std::make_shared<FbPushKind>(false, false, context);
  return kinds;
}

core::Result<std::string> ExternalIdOfAnswer(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return Failure("the create answer is not a JSON object, so it carries no EXTERNAL_ID");
  const json::object* o = &v.as_object();
  if (const json::value* d = o->if_contains("d"); d && d->is_object()) o = &d->as_object();  // OData V2
  const json::value* id = o->if_contains("EXTERNAL_ID");
  if (!id || id->is_null()) return Failure("the create answer carries no EXTERNAL_ID");
  std::string out;
  if (id->is_string()) {
    out = std::string(id->as_string());
  } else if (id->is_int64()) {
    out = std::to_string(id->as_int64());
  } else if (id->is_uint64()) {
    out = std::to_string(id->as_uint64());
  } else {
    return Failure("the create answer's EXTERNAL_ID is neither a string nor a number");
  }
  if (out.empty()) return Failure("the create answer's EXTERNAL_ID is empty");
  if (out.size() > 200) return Failure("the create answer's EXTERNAL_ID is longer than 200 characters");
  return out;
}

std::optional<CreateResult> ParseCreateResult(std::string_view result) {
  boost::system::error_code ec;
  json::value v = json::parse(result, ec);
  if (ec || !v.is_object()) return std::nullopt;
  CreateResult r;
  if (const json::value* id = v.as_object().if_contains("EXTERNAL_ID"); id && id->is_string())
    r.external_id = std::string(id->as_string());
  if (const json::value* p = v.as_object().if_contains("PARENT_EXTERNAL_ID"); p && p->is_string())
    r.parent_external_id = std::string(p->as_string());
  return r;
}

}  // namespace causeway::services::ext_integration
