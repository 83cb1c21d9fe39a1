#include "services/business_agreement/replication_service.h"

#include "services/business_agreement/request_mapping.h"
#include "store/unit_of_work.h"

namespace causeway::services::business_agreement {

ReplicationService::ReplicationService(agreements::BusinessAgreements& agreements) : agreements_(agreements) {
  description_.interface_name = kInterfaceName;
  description_.interface_namespace = "http://sap.com/xi/A1S/Global";
  description_.wsdl = BusinessAgreementReplicationInWsdl();
  description_.address_placeholder = "https://causeway.invalid/sap/bc/srt/scs/sap/businessagreementreplicationin";
  description_.operations = {{kOperation, kMessageNamespace, kRequestElement, /*one_way=*/true, /*idempotent=*/false}};
}

core::Result<soap::Reply> ReplicationService::Invoke(const soap::Operation& op, soap::XmlElement,
                                                     const soap::CallContext&) const {
  return core::MakeError(core::Code::kInternal, "CAUSEWAY/SOAP", "047", "Operation &1 is processed from the message "
                                                                        "store only", {op.name});
}

std::string ReplicationService::QueueKey(const soap::Operation&, soap::XmlElement payload) const {
  return AgreementQueueKey(payload);
}

core::Status ReplicationService::Process(const soap::Operation&, soap::XmlElement payload,
                                         const soap::CallContext& ctx, soap::ProcessingOutcome* outcome) const {
  auto result = std::make_shared<agreements::ReplicationResult>();
  CW_RETURN_IF_ERROR(agreements_.Replicate(MapReplicationRequest(payload), ctx.user, result));
  if (store::UnitOfWork* unit = store::UnitOfWork::Current()) {
    // Runs after the replication's own write, in the same transaction (and again with it).
    unit->Add([result, outcome](store::Tx&) {
      outcome->log = result->log;
      return core::Status::Ok();
    });
  } else {
    outcome->log = result->log;
  }
  return core::Status::Ok();
}

}  // namespace causeway::services::business_agreement
