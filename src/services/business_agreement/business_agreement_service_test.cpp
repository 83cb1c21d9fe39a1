// BusinessAgreementReplicationIn below the wire: the [business_agreement] section, the payload
// mapping (every node, optional leaves, list-complete attributes), the queue key, and that the
// served WSDL's schema compiles and accepts what the mapping reads.
#include <gtest/gtest.h>

#include "services/business_agreement/business_agreement_module.h"
#include "services/business_agreement/replication_service.h"
#include "services/business_agreement/request_mapping.h"
#include "soap/envelope.h"
#include "soap/schema_set.h"

namespace causeway::services::business_agreement {
namespace {

constexpr char kFull[] = R"(<n0:BusinessAgreementReplicateRequest xmlns:n0="http://sap.com/xi/SAPGlobal20/Global">
<BasicMessageHeader><ID>MSG-1</ID><UUID>0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10</UUID></BasicMessageHeader>
<BusinessAgreement actionCode="02" contactPersonListCompleteTransmissionIndicator="true"
   textListCompleteTransmissionIndicator="1" paymentDataListCompleteTransmissionIndicator="false">
 <ObjectNodeSenderTechnicalID>R1</ObjectNodeSenderTechnicalID>
 <ChangeStateID> 20240501080000.0000001 </ChangeStateID>
 <ID> 000012345678 </ID>
 <CategoryCode>2</CategoryCode>
 <Name>  Bakery  </Name>
 <BusinessPartnerInternalID>UC100001</BusinessPartnerInternalID>
 <AccountDetermination><AccountDeterminationCode>01</AccountDeterminationCode></AccountDetermination>
 <ContactPerson actionCode="01"><ObjectNodeSenderTechnicalID>C1</ObjectNodeSenderTechnicalID><BusinessPartnerInternalID>UCP20001</BusinessPartnerInternalID><MainIndicator>true</MainIndicator></ContactPerson>
 <Relationship><RoleCode>ZREL</RoleCode><BusinessPartnerInternalID>UC100003</BusinessPartnerInternalID><ValidityPeriod><StartDate>2024-01-01</StartDate></ValidityPeriod></Relationship>
 <CommunicationArrangement actionCode="05"><CorrespondenceTypeCode>0001</CorrespondenceTypeCode></CommunicationArrangement>
 <DirectResponsibility><PartyRoleCode>142</PartyRoleCode><EmployeeID>E0101</EmployeeID></DirectResponsibility>
 <SalesArrangement><SalesOrganisationID>S1000</SalesOrganisationID><DistributionChannelCode>01</DistributionChannelCode><CurrencyCode>EUR</CurrencyCode></SalesArrangement>
 <PaymentData><PaymentDirectionCode>1</PaymentDirectionCode><PaymentMethodCode>D</PaymentMethodCode></PaymentData>
 <Text actionCode="04"><ChangeStateID>X</ChangeStateID><TextTypeCode>10001</TextTypeCode><LanguageCode>EN</LanguageCode><ContentText> kept as sent </ContentText></Text>
</BusinessAgreement>
</n0:BusinessAgreementReplicateRequest>)";

TEST(BusinessAgreementService, TheServedSchemaAcceptsAFullMessage) {
  auto schemas = soap::SchemaSet::FromWsdl(BusinessAgreementReplicationInWsdl());
  ASSERT_TRUE(schemas.ok()) << schemas.error().text;
  auto doc = soap::ParseXml(kFull, soap::ParseLimits{});
  ASSERT_TRUE(doc.ok());
  core::Status st = (*schemas)->Validate(doc->Root());
  EXPECT_TRUE(st.ok()) << st.error().text;

  // Element order, enumerations and lengths are the schema's business.
  for (const char* bad : {
           "<n0:BusinessAgreementReplicateRequest xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\"><BusinessAgreement "
           "actionCode=\"07\"/></n0:BusinessAgreementReplicateRequest>",
           "<n0:BusinessAgreementReplicateRequest xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\"><BusinessAgreement>"
           "<ID>1</ID><ObjectNodeSenderTechnicalID>x</ObjectNodeSenderTechnicalID></BusinessAgreement>"
           "</n0:BusinessAgreementReplicateRequest>",
           "<n0:BusinessAgreementReplicateRequest xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\"><BusinessAgreement>"
           "<ID>1234567890123</ID></BusinessAgreement></n0:BusinessAgreementReplicateRequest>",
           "<n0:BusinessAgreementReplicateRequest xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\"><BusinessAgreement>"
           "<PaymentData><PaymentDirectionCode>3</PaymentDirectionCode></PaymentData></BusinessAgreement>"
           "</n0:BusinessAgreementReplicateRequest>",
           "<n0:BusinessAgreementReplicateRequest xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\"/>",
       }) {
    auto d = soap::ParseXml(bad, soap::ParseLimits{});
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE((*schemas)->Validate(d->Root()).ok()) << bad;
  }
}

TEST(BusinessAgreementService, MappingReadsEveryNode) {
  auto doc = soap::ParseXml(kFull, soap::ParseLimits{});
  ASSERT_TRUE(doc.ok());
  agreements::ReplicationRequest r = MapReplicationRequest(doc->Root());
  EXPECT_EQ(r.message_id, "MSG-1");
  EXPECT_EQ(r.message_uuid, "0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10");
  const agreements::AgreementChange& a = r.agreement;
  EXPECT_EQ(a.action, agreements::Action::kUpdate);
  EXPECT_EQ(a.sender_id, "R1");
  EXPECT_EQ(a.change_state_id, "20240501080000.0000001");
  EXPECT_EQ(a.id, "000012345678");
  EXPECT_EQ(a.uuid, std::nullopt);  // not transmitted
  EXPECT_EQ(a.type_code, std::nullopt);
  EXPECT_EQ(a.category_code, "2");
  EXPECT_EQ(a.name, "  Bakery  ");  // xsd:string: as sent
  EXPECT_TRUE(a.account_determination_present);
  EXPECT_EQ(a.account_determination_code, "01");
  EXPECT_EQ(a.tolerance_group_code, std::nullopt);
  EXPECT_TRUE(a.contact_persons.complete);
  EXPECT_TRUE(a.texts.complete);
  EXPECT_FALSE(a.payment_data.complete);
  EXPECT_FALSE(a.relationships.complete);
  ASSERT_EQ(a.contact_persons.items.size(), 1u);
  EXPECT_EQ(a.contact_persons.items[0].action, agreements::Action::kCreate);
  EXPECT_EQ(a.contact_persons.items[0].sender_id, "C1");
  EXPECT_EQ(a.contact_persons.items[0].main, true);
  EXPECT_EQ(a.contact_persons.items[0].function_code, std::nullopt);
  ASSERT_EQ(a.relationships.items.size(), 1u);
  EXPECT_EQ(a.relationships.items[0].action, agreements::Action::kSave);  // default 04
  EXPECT_EQ(a.relationships.items[0].valid_from, "2024-01-01");
  EXPECT_EQ(a.relationships.items[0].valid_to, std::nullopt);
  ASSERT_EQ(a.communication_arrangements.items.size(), 1u);
  EXPECT_EQ(a.communication_arrangements.items[0].action, agreements::Action::kRemove);
  EXPECT_EQ(a.direct_responsibilities.items.at(0).employee_id, "E0101");
  EXPECT_EQ(a.sales_arrangements.items.at(0).currency_code, "EUR");
  EXPECT_EQ(a.payment_data.items.at(0).payment_method_code, "D");
  ASSERT_EQ(a.texts.items.size(), 1u);
  EXPECT_EQ(a.texts.items[0].change_state_id, "X");
  EXPECT_EQ(a.texts.items[0].content, " kept as sent ");
}

TEST(BusinessAgreementService, TheQueueIsTheAgreement) {
  auto key = [](const std::string& inner) {
    auto doc = soap::ParseXml("<n0:BusinessAgreementReplicateRequest xmlns:n0=\"http://sap.com/xi/SAPGlobal20/Global\">"
                              "<BusinessAgreement>" + inner + "</BusinessAgreement></n0:BusinessAgreementReplicateRequest>",
                              soap::ParseLimits{});
    return AgreementQueueKey(doc->Root());
  };
  EXPECT_EQ(key("<ID> 42 </ID><UUID>0B9E1F2A-4C3D-4E5F-8A7B-6C5D4E3F2A10</UUID>"), "ID:42");
  EXPECT_EQ(key("<UUID>0B9E1F2A-4C3D-4E5F-8A7B-6C5D4E3F2A10</UUID>"), "UUID:0b9e1f2a-4c3d-4e5f-8a7b-6c5d4e3f2a10");
  EXPECT_EQ(key("<Name>new</Name>"), "");
}

TEST(BusinessAgreementService, ConfigurationNamesTheBadKey) {
  auto opts = ParseOptions(toml::parse(
      "[business_agreement]\nendpoint_suffix = \"2\"\nworkers = 0\nlease_s = 30\nerror_log_retention_s = 3600\n"
      "error_log_max_entries = 500\n"));
  ASSERT_TRUE(opts.ok()) << opts.error().text;
  EXPECT_EQ(opts->error_log.retention, std::chrono::hours(1));
  EXPECT_EQ(opts->error_log.max_entries, 500);
  EXPECT_EQ(ParseOptions(toml::parse("")).value().error_log.max_entries, 100'000);
  EXPECT_EQ(opts->endpoint_suffix, "2");
  EXPECT_EQ(opts->workers, 0);
  EXPECT_EQ(opts->node_id, "");  // the server's node id, given at start
  EXPECT_EQ(opts->lease, std::chrono::seconds(30));
  const struct {
    const char* toml;
    const char* key;
  } bad[] = {
      {"[business_agreement]\nendpoint_suffix = \"1a\"\n", "endpoint_suffix"},
      {"[business_agreement]\nworkers = 2\n", "workers"},
      {"[business_agreement]\nlease_s = \"long\"\n", "lease_s"},
      {"[business_agreement]\nnode_id = \"\"\n", "node_id"},
      {"[business_agreement]\ndemo_master_data = 1\n", "demo_master_data"},
      {"[business_agreement]\nretention_h = -1\n", "retention_h"},
      {"[business_agreement]\nerror_log_retention_s = 5\n", "error_log_retention_s: must be an integer from 60"},
      {"[business_agreement]\nerror_log_max_entries = 0\n", "error_log_max_entries"},
      {"[business_agreement]\nworker = 1\n", "worker: is not a known setting"},
      {"business_agreement = 1\n", "[business_agreement] must be a table"},
  };
  for (const auto& b : bad) {
    auto r = ParseOptions(toml::parse(b.toml));
    ASSERT_FALSE(r.ok()) << b.toml;
    EXPECT_NE(r.error().text.find(b.key), std::string::npos) << r.error().text;
    EXPECT_EQ(r.error().GatewayCode(), "CAUSEWAY/CONFIG/001");
  }
}

}  // namespace
}  // namespace causeway::services::business_agreement
