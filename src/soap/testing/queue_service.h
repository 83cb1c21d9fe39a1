// Test support: a one-way SOAP service over testing/echo_wsdl.h whose stored messages change a
// table `changes` (queue_key, name), so that tests can see what processing committed and in
// which order. The queue key is the first Item's Name up to its '-' ("A-1" → "A"). Processing
// an Item whose name after the '-' starts with
//   "bad…"   ends with a business error (severity 3 log item, nothing written);
//   "boom…"  returns a technical error from Process;
//   "crash…" stages a write that fails at commit (a table that does not exist);
//   anything else inserts (queue_key, name) and logs one information item.
#pragma once

#include <string>

#include "soap/a2x.h"
#include "soap/service.h"
#include "soap/testing/echo_wsdl.h"
#include "store/unit_of_work.h"

namespace causeway::soap::testing {

inline constexpr char kQueueTable[] = "CREATE TABLE changes (id BIGINT, queue_key TEXT, name TEXT)";

class QueueService final : public Service {
 public:
  QueueService() {
    d_.interface_name = "QueueIn";
    d_.interface_namespace = "urn:test:iface";
    d_.wsdl = kEchoWsdl;
    d_.address_placeholder = "https://causeway.invalid/echo";
    d_.operations = {{"Other", "urn:test:msg", "OtherRequest", /*one_way=*/true, /*idempotent=*/false}};
  }
  const ServiceDescription& Description() const override { return d_; }
  core::Result<Reply> Invoke(const Operation&, XmlElement, const CallContext&) const override { return Reply{}; }

  static std::string NameOf(XmlElement payload) {
    XmlElement item = payload.Child("Item");
    return item ? item.ChildText("Name").value_or("") : std::string();
  }
  std::string QueueKey(const Operation&, XmlElement payload) const override {
    std::string name = NameOf(payload);
    return name.substr(0, name.find('-'));
  }
  core::Status Process(const Operation&, XmlElement payload, const CallContext& ctx,
                       ProcessingOutcome* outcome) const override {
    const std::string name = NameOf(payload);
    const std::string what = name.substr(name.find('-') + 1);
    if (what.rfind("boom", 0) == 0) return core::MakeError(core::Code::kInternal, "TEST", "002", "boom");
    store::UnitOfWork* unit = store::UnitOfWork::Current();
    if (!unit) return core::MakeError(core::Code::kInternal, "TEST", "003", "no unit of work");
    const std::string queue = name.substr(0, name.find('-'));
    const std::string user = ctx.user;
    unit->Add([name, what, queue, user, outcome](store::Tx& tx) -> core::Status {
      outcome->log.clear();
      if (what.rfind("bad", 0) == 0) {
        outcome->log.push_back(a2x::MakeLogItem(a2x::Severity::kError, "TEST", "010", "&1 is bad", "S1", {name}));
        return core::Status::Ok();
      }
      if (what.rfind("crash", 0) == 0) return tx.Exec("INSERT INTO no_such_table (x) VALUES (1)");
      int64_t n = 0;
      CW_RETURN_IF_ERROR(tx.Query("SELECT COUNT(*) FROM changes", {}, [&](const store::Row& r) { n = r.Int(0); }));
      CW_RETURN_IF_ERROR(tx.Exec("INSERT INTO changes (id, queue_key, name) VALUES (?, ?, ?)", {n + 1, queue, name}));
      outcome->log.push_back(a2x::MakeLogItem(a2x::Severity::kInfo, "TEST", "011", "&1 saved for &2", "", {name, user}));
      return core::Status::Ok();
    });
    return core::Status::Ok();
  }

 private:
  ServiceDescription d_;
};

// A one-way request body (no envelope) for QueueService, with an optional header UUID.
inline std::string QueueRequest(const std::string& name, const std::string& uuid = {}) {
  std::string header = uuid.empty() ? "<BasicMessageHeader/>" : "<BasicMessageHeader><UUID>" + uuid + "</UUID></BasicMessageHeader>";
  return "<m:OtherRequest xmlns:m=\"urn:test:msg\">" + header + "<Item><Name>" + name + "</Name></Item></m:OtherRequest>";
}

}  // namespace causeway::soap::testing
