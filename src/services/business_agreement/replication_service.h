// BusinessAgreementReplicationIn as a soap::Service: the WSDL (embedded from
// BusinessAgreementReplicationIn.wsdl, the single source of truth for the XSD too), the one
// asynchronous operation ReplicateBusinessAgreement, its queue key (the agreement) and Process
// = map the stored payload, stage the domain's replication, hand its log to the message.
// Thread-safe.
#pragma once

#include <string>

#include "domain/agreements/business_agreements.h"
#include "soap/service.h"

namespace causeway::services::business_agreement {

inline constexpr char kInterfaceName[] = "BusinessAgreementReplicationIn";
inline constexpr char kOperation[] = "ReplicateBusinessAgreement";

// The WSDL file's text (generated from BusinessAgreementReplicationIn.wsdl at build time).
const std::string& BusinessAgreementReplicationInWsdl();

class ReplicationService final : public soap::Service {
 public:
  explicit ReplicationService(agreements::BusinessAgreements& agreements);
  const soap::ServiceDescription& Description() const override { return description_; }
  // Not used: the engine stores the one-way messages (EngineOptions::messages) and the
  // processor calls Process. Without a message store every call is refused.
  core::Result<soap::Reply> Invoke(const soap::Operation& op, soap::XmlElement payload,
                                   const soap::CallContext& ctx) const override;
  std::string QueueKey(const soap::Operation& op, soap::XmlElement payload) const override;
  core::Status Process(const soap::Operation& op, soap::XmlElement payload, const soap::CallContext& ctx,
                       soap::ProcessingOutcome* outcome) const override;

 private:
  agreements::BusinessAgreements& agreements_;
  soap::ServiceDescription description_;
};

}  // namespace causeway::services::business_agreement
